#!/usr/bin/python3
"""Helper of testing/bench/sidebyside (standard library only; see that script's header).

  sidebyside.py watch   --pid PID --lab-dir DIR --servers "lab1 ..." --restarts N --out FILE
                        [--settle S] [--timeout S] [--ssh-match TEXT] [--metrics-url URL]
      Follows the lab's action logs (LAB_DIR/servers/NAME/actions.log) while the tool PID runs. A
      restart is done when its `start cmsd@cluster` returns (rc 0): both tools start xrootd, then cmsd.
      SETTLE seconds after each of the first N restarts, it takes a snapshot of the tool's CPU time and
      RSS. With --metrics-url (the Python tool) it then waits until every xrootdrestart_restart_active
      is 0 there, so that the caller may send SIGTERM. Writes FILE (JSON). Exit 0; 3 when the tool
      exited, 4 on timeout.
  sidebyside.py analyze --tool python|daemon ... (see analyze_args)
      One run's figures from its log, the lab's action log and the watch file: appends one JSON line
      per restart and one per run to --jsonl, prints a one-line summary.
  sidebyside.py table   --jsonl FILE --servers "3 20"
      The table of issue 12 and whether each target is met, from the run records.
"""
import argparse
import json
import os
import re
import statistics
import sys
import time
import urllib.request
from datetime import datetime, timezone

CLK_TCK = os.sysconf("SC_CLK_TCK")
CMSD = "cmsd@cluster"
XROOTD = "xrootd@cluster"


# --------------------------------------------------------------------------------------------------
# /proc


def proc_table():
    """pid -> (ppid, own ticks utime+stime, reaped children's ticks cutime+cstime, comm)."""
    table = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                data = f.read().decode("latin-1")
        except OSError:
            continue
        lp, rp = data.index("("), data.rindex(")")
        rest = data[rp + 2:].split()
        table[int(d)] = (int(rest[1]), int(rest[11]) + int(rest[12]), int(rest[13]) + int(rest[14]),
                         data[lp + 1:rp])
    return table


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode("latin-1")
    except OSError:
        return ""


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def snapshot(pid, ssh_match):
    """The tool's CPU ticks: its own, its reaped children's (cutime+cstime), its live descendants'
    (all four fields), and those of SSH ControlPersist masters it left (they leave the process tree:
    ssh daemonizes them), found by ssh_match in their command line; and its VmRSS."""
    t = time.time()
    table = proc_table()
    if pid not in table:
        return None
    children = {}
    for p, (pp, _, _, _) in table.items():
        children.setdefault(pp, []).append(p)
    tree, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for c in children.get(p, []):
            if c not in tree:
                tree.add(c)
                todo.append(c)
    live = sum(table[p][1] + table[p][2] for p in tree)
    masters = 0
    n_masters = 0
    if ssh_match:
        for p, (_, own, reaped, comm) in table.items():
            if comm == "ssh" and p not in tree and p != pid and ssh_match in cmdline(p):
                masters += own + reaped
                n_masters += 1
    with open("/proc/loadavg") as f:
        load1 = float(f.read().split()[0])
    return {"t": round(t, 3), "own": table[pid][1], "reaped": table[pid][2], "live": live,
            "live_n": len(tree), "masters": masters, "masters_n": n_masters, "rss_kib": rss_kib(pid),
            "load1": load1}


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().decode("latin-1")
        return state[state.rindex(")") + 2] != "Z"
    except OSError:
        return False


def restart_active(url):
    """True/False from the tool's /metrics; None when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return None
    vals = [float(line.rsplit(None, 1)[1]) for line in text.splitlines()
            if line.startswith("xrootdrestart_restart_active{")]
    return any(v != 0 for v in vals)


def watch(a):
    servers = a.servers.split()
    files = {s: os.path.join(a.lab_dir, "servers", s, "actions.log") for s in servers}
    offsets = {s: 0 for s in servers}
    done = []          # (action time, time seen) of each `start cmsd@cluster` rc 0
    failed = []        # stop/start lines with rc != 0
    snaps = []
    out = {"pid": a.pid, "clk_tck": CLK_TCK, "settle": a.settle, "restarts": a.restarts}
    deadline = time.time() + a.timeout

    def write(status):
        out.update(status=status, done=done, failed=failed, snapshots=snaps)
        with open(a.out, "w") as f:
            json.dump(out, f)

    out["start"] = snapshot(a.pid, a.ssh_match)
    while True:
        now = time.time()
        for s, path in files.items():
            try:
                with open(path, "rb") as f:
                    f.seek(offsets[s])
                    chunk = f.read()
            except OSError:
                continue
            end = chunk.rfind(b"\n") + 1
            offsets[s] += end
            for line in chunk[:end].decode().splitlines():
                p = line.split()
                if len(p) < 5 or p[2] not in ("start", "stop"):
                    continue
                if p[4] != "0":
                    failed.append(line)
                elif p[2] == "start" and CMSD in p[3].split(","):
                    done.append((int(p[0]) / 1000, now))
        while len(snaps) < min(len(done), a.restarts) and now >= done[len(snaps)][1] + a.settle:
            snap = snapshot(a.pid, a.ssh_match)
            if snap is None:
                break
            snaps.append(snap)
        if len(snaps) >= a.restarts:
            break
        if not alive(a.pid):
            write("tool exited")
            return 3
        if now > deadline:
            write("timeout")
            return 4
        time.sleep(0.1)
    if a.metrics_url:
        while True:
            busy = restart_active(a.metrics_url)
            if busy is False:
                break
            if not alive(a.pid):
                write("tool exited")
                return 3
            if time.time() > deadline:
                write("timeout (metrics: restart active)")
                return 4
            time.sleep(0.2)
    write("ok")
    return 0


# --------------------------------------------------------------------------------------------------
# One run's figures


def parse_actions(path):
    acts = []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 5 and p[0].isdigit():
                acts.append({"t": int(p[0]) / 1000, "server": p[1], "verb": p[2],
                             "units": p[3].split(","), "rc": int(p[4])})
    acts.sort(key=lambda x: x["t"])
    return acts


PY_SLOT = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) - INFO - Restarting (\S+)$")
DAEMON_SLOT = re.compile(r"next restart: (\S+) at (\d{4}-\d\d-\d\dT[0-9:.]+Z)")


def iso_epoch(s):
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$", s)
    base = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
    return base + (float("0." + m.group(2)) if m.group(2) else 0.0)


def slots_of(tool, log, ipmap):
    """[(time, server)] in time order: the Python tool's 'Restarting X' lines (its log is in UTC, TZ=UTC);
    the daemon's 'next restart: X at TIME' (the slot it planned; repeated plans of one slot once)."""
    out = []
    with open(log, errors="replace") as f:
        for line in f:
            if tool == "python":
                m = PY_SLOT.match(line.rstrip("\n"))
                if m:
                    t = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f")
                    out.append((t.replace(tzinfo=timezone.utc).timestamp(), ipmap.get(m.group(2), m.group(2))))
            else:
                m = DAEMON_SLOT.search(line)
                if m:
                    slot = (iso_epoch(m.group(2)), m.group(1))
                    if slot not in out:
                        out.append(slot)
    out.sort()
    return out


def first(acts, server, verb, unit, after, before=float("inf")):
    for x in acts:
        if x["server"] == server and x["verb"] == verb and unit in x["units"] and after <= x["t"] < before:
            return x
    return None


def log_problems(tool, log, stopped_at):
    """The log's warning and error lines: (before SIGTERM, after). Both logs are in UTC (TZ=UTC); the
    daemon's lines carry the time of day only, taken on the day that puts them nearest to stopped_at."""
    pat = re.compile(r" - (ERROR|CRITICAL|WARNING) - " if tool == "python" else r" (WARN|ERROR) |Exception")
    day = stopped_at - stopped_at % 86400
    before, after = [], []
    with open(log, errors="replace") as f:
        for line in f:
            if not pat.search(line):
                continue
            line = line.rstrip("\n")
            t = None
            m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) ", line)
            if m:
                t = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp()
                t += int(m.group(2)) / 1000
            m = re.match(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) ", line)
            if m:
                tod = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) + int(m.group(4)) / 1000
                t = min((day + d * 86400 + tod for d in (-1, 0, 1)), key=lambda x: abs(x - stopped_at))
            (after if stopped_at and t is not None and t >= stopped_at else before).append(line)
    return before, after


def analyze(a):
    ipmap = dict(kv.split("=", 1)[::-1] for kv in a.ipmap.split()) if a.ipmap else {}
    acts = parse_actions(a.actions)
    with open(a.watch) as f:
        w = json.load(f)
    slots = slots_of(a.tool, a.log, ipmap)
    base = {"tool": a.tool, "servers": a.n, "round": a.round}
    restarts, held = [], []
    for i, (t, srv) in enumerate(slots):
        nxt = slots[i + 1][0] if i + 1 < len(slots) else float("inf")
        stop = first(acts, srv, "stop", CMSD, t - 0.001, nxt)
        if stop is None:
            held.append({"slot": t, "server": srv})
            continue
        start = first(acts, srv, "start", CMSD, stop["t"])
        if start is None:
            held.append({"slot": t, "server": srv, "cmsd_stop": stop["t"]})
            continue
        xstop = first(acts, srv, "stop", XROOTD, stop["t"], start["t"] + 0.001)
        xstart = first(acts, srv, "start", XROOTD, stop["t"], start["t"] + 0.001)
        restarts.append({"slot": t, "server": srv, "cmsd_stop": stop["t"], "cmsd_start": start["t"],
                         "xrootd_stop": xstop and xstop["t"], "xrootd_start": xstart and xstart["t"],
                         "ok": stop["rc"] == 0 and start["rc"] == 0})
    # held slots after the last restart are plans the run never reached: not counted
    last = restarts[-1]["slot"] if restarts else float("-inf")
    held = [h for h in held if h["slot"] < last]
    n = a.restarts
    problems = []
    if len(restarts) < n + 1:
        problems.append(f"only {len(restarts)} restarts matched to slots, {n + 1} expected")
    restarts = restarts[:n + 1]
    lines = []
    for k, r in enumerate(restarts):
        r.update(base, kind="restart", k=k, warmup=(k == 0),
                 overhead_s=round(r["cmsd_start"] - r["slot"] - a.cmsd_wait, 3),
                 cmsd_down_s=round(r["cmsd_start"] - r["cmsd_stop"], 3),
                 slot_to_cmsd_stop_s=round(r["cmsd_stop"] - r["slot"], 3),
                 late_s=round(r["slot"] - (restarts[0]["slot"] + k * a.slot), 3))
        lines.append(r)
    measured = [r for r in restarts if not r["warmup"]]
    if any(not r["ok"] for r in restarts):
        problems.append("a stop or start of cmsd failed (rc != 0)")
    if w.get("failed"):
        problems.append(f"{len(w['failed'])} stop/start calls with rc != 0 in the action log")
    if w.get("status") != "ok":
        problems.append(f"watch: {w.get('status')}")
    snaps = w.get("snapshots", [])
    cpu = None
    parts = {}
    if len(snaps) >= n + 1 and n > 0:
        s0, s1 = snaps[0], snaps[n]
        for key in ("own", "reaped", "live", "masters"):
            parts[key] = round((s1[key] - s0[key]) / w["clk_tck"] / n, 3)
        cpu = round(sum(parts.values()), 3)
    rss = [s["rss_kib"] for s in snaps[1:n + 1] if s.get("rss_kib")]
    # Drift over the measured restarts, like every other figure: the warm-up slot is the tool's first
    # after its start (the daemon's then has no run started ahead of it, and cold SSH connections);
    # how late the first measured slot came after the warm-up's is kept apart (first_gap_s).
    drift = None
    first_gap = None
    steady = [r for r in restarts if not r["warmup"]]
    if len(steady) >= 2:
        k = len(steady) - 1
        drift = round((steady[-1]["slot"] - steady[0]["slot"]) / k - a.slot, 3)
    if steady and len(restarts) > len(steady):
        first_gap = round(steady[0]["slot"] - restarts[0]["slot"] - a.slot, 3)

    problems_before, problems_after = log_problems(a.tool, a.log, a.stopped_at)
    loads = [x["load1"] for x in snaps if "load1" in x]

    def med(key):
        v = [r[key] for r in measured]
        return round(statistics.median(v), 3) if v else None

    run = dict(base, kind="run", restarts=len(measured), slot_s=a.slot, cmsd_wait_s=a.cmsd_wait,
               overhead_median_s=med("overhead_s"), cmsd_down_median_s=med("cmsd_down_s"),
               slot_to_cmsd_stop_median_s=med("slot_to_cmsd_stop_s"),
               cpu_per_restart_s=cpu, cpu_parts_s=parts,
               cpu_reaped_only_per_restart_s=(round(parts["own"] + parts["reaped"], 3) if parts else None),
               drift_per_slot_s=drift, warmup_late_s=first_gap, late_s=[r["late_s"] for r in restarts],
               rss_idle_kib=(int(statistics.median(rss)) if rss else None), rss_idle_all_kib=rss,
               load1_min=min(loads, default=None), load1_max=max(loads, default=None),
               held_slots=held, exit_code=a.exit_code, stopped_at=a.stopped_at,
               log_problems=problems_before[:20], log_problems_after_sigterm=problems_after[:20],
               problems=problems, files={"log": a.log, "actions": a.actions, "watch": a.watch})
    with open(a.jsonl, "a") as f:
        for r in lines + [run]:
            f.write(json.dumps(r) + "\n")

    def fmt(v, unit="s"):
        return "-" if v is None else f"{v:.2f} {unit}"

    print(f"{a.tool} {a.n} servers round {a.round}: {len(measured)} restarts; overhead "
          f"{fmt(run['overhead_median_s'])}, cmsd down {fmt(run['cmsd_down_median_s'])}, CPU/restart "
          f"{fmt(cpu)}, drift {fmt(drift)}/slot, RSS idle "
          f"{'-' if run['rss_idle_kib'] is None else '%.1f MiB' % (run['rss_idle_kib'] / 1024)}"
          + (f"; PROBLEMS: {'; '.join(problems)}" if problems else ""))
    return 1 if problems else 0


# --------------------------------------------------------------------------------------------------
# The table


def table(a):
    runs, rests = [], []
    with open(a.jsonl) as f:
        for line in f:
            r = json.loads(line)
            if r["kind"] == "run":
                runs.append(r)
            elif r["kind"] == "restart":
                rests.append(r)
    ns = [int(x) for x in a.servers.split()]
    rows = []   # (figure, py, daemon, ratio)
    checks = []  # (target text, met: True/False/None, detail)

    def pooled(tool, n, key):
        v = [r[key] for r in rests if r["tool"] == tool and r["servers"] == n and not r["warmup"]]
        return statistics.median(v) if v else None

    def per_run(tool, n, key):
        return [r[key] for r in runs if r["tool"] == tool and r["servers"] == n and r[key] is not None]

    def cell(v, runvals, unit="s", digits=2, sign=False):
        if v is None:
            return "-"
        f = f"{{:{'+' if sign else ''}.{digits}f}}"
        s = f.format(v) + " " + unit
        if len(runvals) > 1:
            s += f" ({f.format(min(runvals))}–{f.format(max(runvals))})"
        return s

    def ratio(p, d):
        if p is None or d is None or p <= 0:
            return "", None
        return (f"{d / p:.0f}×" if d / p >= 10 else f"{d / p:.2f}×"), d / p

    for n in ns:
        p, d = pooled("python", n, "overhead_s"), pooled("daemon", n, "overhead_s")
        rt, rv = ratio(p, d)
        rows.append((f"overhead per restart, {n} servers: slot start → cmsd started, minus cmsd_wait",
                     cell(p, per_run("python", n, "overhead_median_s")),
                     cell(d, per_run("daemon", n, "overhead_median_s")), rt))
        checks.append((f"overhead, {n} servers, ≤ 1.0× the Python tool's", None if rv is None else rv <= 1.0, rt))
    for n in ns:
        p, d = pooled("python", n, "cmsd_down_s"), pooled("daemon", n, "cmsd_down_s")
        rt, rv = ratio(p, d)
        rows.append((f"cmsd down per restart, {n} servers: cmsd stop → cmsd start",
                     cell(p, per_run("python", n, "cmsd_down_median_s")),
                     cell(d, per_run("daemon", n, "cmsd_down_median_s")), rt))
        checks.append((f"cmsd down, {n} servers, ≤ 1.1× the Python tool's", None if rv is None else rv <= 1.1, rt))
    for n in ns:
        pv, dv = per_run("python", n, "cpu_per_restart_s"), per_run("daemon", n, "cpu_per_restart_s")
        p = statistics.median(pv) if pv else None
        d = statistics.median(dv) if dv else None
        rt, _ = ratio(p, d)
        rows.append((f"CPU per restart, children included, {n} servers", cell(p, pv, digits=3),
                     cell(d, dv, digits=3), rt))
        if n == 3:
            checks.append(("CPU per restart, 3 servers, ≤ 1.5 s", None if d is None else d <= 1.5,
                           cell(d, [], digits=3)))
    if 3 not in ns:
        checks.append(("CPU per restart, 3 servers, ≤ 1.5 s", None, "not measured (no 3-server lab)"))
    for n in ns:
        pv, dv = per_run("python", n, "drift_per_slot_s"), per_run("daemon", n, "drift_per_slot_s")
        p = statistics.median(pv) if pv else None
        d = statistics.median(dv) if dv else None
        rows.append((f"schedule drift per slot, {n} servers: mean s late on the 10 s grid", cell(p, pv, sign=True),
                     cell(d, dv, sign=True), ""))
        checks.append((f"drift, {n} servers, ≤ 0.1 s per slot", None if d is None else d <= 0.1,
                       cell(d, [], sign=True)))
    for n in ns:
        pv = [v / 1024 for v in per_run("python", n, "rss_idle_kib")]
        dv = [v / 1024 for v in per_run("daemon", n, "rss_idle_kib")]
        p = statistics.median(pv) if pv else None
        d = statistics.median(dv) if dv else None
        rt, _ = ratio(p, d)
        rows.append((f"RSS idle after a restart, {n} servers (VmRSS)", cell(p, pv, "MiB", 1),
                     cell(d, dv, "MiB", 1), rt))
        checks.append((f"daemon RSS, {n} servers, ≤ 64 MiB", None if d is None else d <= 64,
                       cell(d, [], "MiB", 1)))

    print("| figure | Python tool | this daemon | ratio |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    print()
    print("Targets of issue 12:")
    for text, met, detail in checks:
        verdict = "not measured" if met is None else ("met" if met else "MISSED")
        print(f"  {verdict:<12} {text}: {detail}")
    bad = [r for r in runs if r["problems"]]
    for r in bad:
        print(f"  warning: {r['tool']} {r['servers']} servers round {r['round']}: {'; '.join(r['problems'])}")
    for r in runs:
        if r["log_problems"]:
            print(f"  note: {r['tool']} {r['servers']} servers round {r['round']}: "
                  f"{len(r['log_problems'])} warning/error lines in its log before SIGTERM, first: "
                  f"{r['log_problems'][0]}")
    loads = [x for r in runs for x in (r.get("load1_min"), r.get("load1_max")) if x is not None]
    if loads:
        print(f"  load average (1 min) at the snapshots: {min(loads):.1f}–{max(loads):.1f} on "
              f"{os.cpu_count()} CPUs" + (" (a busy machine: the figures are inflated; issue 12's were taken on a "
                                          "quiet one)" if max(loads) > os.cpu_count() else ""))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("watch")
    w.add_argument("--pid", type=int, required=True)
    w.add_argument("--lab-dir", required=True)
    w.add_argument("--servers", required=True)
    w.add_argument("--restarts", type=int, required=True)
    w.add_argument("--out", required=True)
    w.add_argument("--settle", type=float, default=1.0)
    w.add_argument("--timeout", type=float, default=600)
    w.add_argument("--ssh-match", default="")
    w.add_argument("--metrics-url", default="")
    an = sub.add_parser("analyze")
    an.add_argument("--tool", choices=["python", "daemon"], required=True)
    an.add_argument("--n", type=int, required=True)
    an.add_argument("--round", type=int, required=True)
    an.add_argument("--restarts", type=int, required=True, help="measured restarts (after the warm-up one)")
    an.add_argument("--slot", type=float, required=True)
    an.add_argument("--cmsd-wait", type=float, required=True)
    an.add_argument("--log", required=True)
    an.add_argument("--actions", required=True)
    an.add_argument("--watch", required=True)
    an.add_argument("--ipmap", default="", help="'NAME=IP ...' (the Python tool names servers by address)")
    an.add_argument("--exit-code", type=int, default=None)
    an.add_argument("--stopped-at", type=float, default=0.0, help="epoch seconds of the SIGTERM")
    an.add_argument("--jsonl", required=True)
    t = sub.add_parser("table")
    t.add_argument("--jsonl", required=True)
    t.add_argument("--servers", required=True)
    a = ap.parse_args()
    return {"watch": watch, "analyze": analyze, "table": table}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
