#!/usr/bin/env python3
"""Helper of testing/bench/scale (Python 3, standard library only): runs a command while sampling the
memory of the Ansible processes it starts, reads the run records a command left, and drives the daemon
for its RSS figure. Every subcommand prints one JSON object on stdout.

  measure [--masters DIR] -- CMD...      run CMD; wall time, exit code, Ansible's peak memory
  runs STATE_DIR SINCE_LIST              the run directories not named in SINCE_LIST, analysed
  timeline EVENTS START_EPOCH DURATION   where the time of one run went, from its JSONL events
  daemon --state-dir DIR [--idle S] [--timeout S] [--masters DIR] -- CMD...
                                         start the daemon, wait for its first health check and for
                                         S seconds without a child process, read VmRSS, SIGTERM it
  slots --state-dir DIR [--restarts R] [--timeout S] -- CMD...
                                         start the daemon, wait until R restart runs have ended,
                                         SIGTERM it; per run, the health play: servers read, wall
                                         time and Ansible's CPU time during it

Ansible's memory: every 100 ms, the processes under CMD whose command line runs ansible-playbook,
with all their descendants (workers, ssh), found through /proc/PID/task/TID/children; the sum of
their VmRSS, and every 10th sample their Pss (/proc/PID/smaps_rollup: shared pages counted once).
CPU time, in seconds: cmd_cpu_s, CMD and every descendant it reaped (getrusage); ansible_cpu_s, the
largest sampled sum of user + system time, reaped children included, of those Ansible processes (an SSH
master that has left the tree is not counted); ansible_main_cpu_s, the main ansible-playbook process's
own (it queues every host's task and reads every result, one at a time); with --lab-pids FILE (the lab's sshd listeners, whose
sessions run the remote commands on this same machine), lab_cpu_s, what they and their descendants
used meanwhile; machine_busy_s, all non-idle CPU time of the machine meanwhile (/proc/stat: other
people's work included); sampler_cpu_s, this helper's own.

slots, per restart run (state_dir/runs/*-restart): the health play (the playbook's first play) read
the servers of its play vars xrootdrestart_units (k, read); from events.jsonl, startup_s is the run's
start (its directory's time) to that play's start, health_play_s that play's start to the next play's
(the next play's first task waits at the slot gate, which opens once the daemon has read the health,
so the health play ends at the next play's start); ansible_cpu_startup_s and ansible_cpu_health_s,
the CPU time of the run's ansible-playbook tree (as ansible_cpu_s above) at the play's start and
what it added up to the next play's start, from the 100 ms samples just before each (a sample can
be up to 100 ms early); machine_busy_health_s, the machine's non-idle CPU time meanwhile. For the whole
daemon run: load1_before, cmd_cpu_s, lab_cpu_s, machine_busy_s as for measure.
"""
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

INTERVAL = 0.1
HZ = os.sysconf("SC_CLK_TCK")


def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    out.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return out


def descendants(pid):
    todo, seen = children(pid), []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(children(p))
    return seen


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().split(b"\0")
    except OSError:
        return []


def is_ansible(pid):
    argv = cmdline(pid)
    return any(os.path.basename(a.decode(errors="replace")).startswith("ansible-playbook") for a in argv[:2])


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu_ticks(pid):
    """utime + stime + cutime + cstime of PID, in clock ticks (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15])
    except (OSError, ValueError, IndexError):
        return 0


def own_ticks(pid):
    """utime + stime of PID itself, without its children."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return 0


def tree_ticks(pids):
    total = 0
    for p in pids:
        total += cpu_ticks(p) + sum(cpu_ticks(d) for d in descendants(p))
    return total


def machine_busy_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v) - v[3] - v[4]  # all but idle and iowait


class Cpu:
    """CPU time used meanwhile: by CMD's reaped descendants, the lab's sshd trees, the machine, us."""

    def __init__(self, lab_pids_file):
        self.lab = []
        if lab_pids_file:
            with open(lab_pids_file) as f:
                self.lab = [int(x) for x in f.read().split()]
        self.children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.self0 = resource.getrusage(resource.RUSAGE_SELF)
        self.lab0 = tree_ticks(self.lab)
        self.machine0 = machine_busy_ticks()

    def figures(self):
        c = resource.getrusage(resource.RUSAGE_CHILDREN)
        me = resource.getrusage(resource.RUSAGE_SELF)
        r = {
            "cmd_cpu_s": round(c.ru_utime + c.ru_stime - self.children0.ru_utime - self.children0.ru_stime, 2),
            "machine_busy_s": round((machine_busy_ticks() - self.machine0) / HZ, 2),
            "sampler_cpu_s": round(me.ru_utime + me.ru_stime - self.self0.ru_utime - self.self0.ru_stime, 2),
        }
        if self.lab:
            r["lab_cpu_s"] = round((tree_ticks(self.lab) - self.lab0) / HZ, 2)
        return r


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def masters_rss(directory):
    """The SSH control masters whose socket lives in DIRECTORY (they detach from Ansible)."""
    if not directory:
        return 0, 0
    needle = directory.encode()
    total = count = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        argv = cmdline(int(name))  # a master's is "ssh: CONTROL_PATH [mux]"
        if argv and (argv[0] == b"ssh" or argv[0].startswith(b"ssh:") or argv[0].endswith(b"/ssh")) \
                and any(needle in a for a in argv):
            total += status_kib(int(name), "VmRSS:")
            count += 1
    return count, total


class Sampler:
    """Ansible's processes under ROOT: peak RSS sum, peak Pss sum, peak process count."""

    def __init__(self, root, series=None, trace=False):
        self.root = root
        self.series = open(series, "w") if series else None
        self.trace = [] if trace else None  # (epoch, ansible-playbook mains, their trees' and the machine's CPU ticks)
        self.cpu_ticks = self.main_ticks = 0
        self.samples = 0
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.peak_at = None
        self.t0 = time.monotonic()

    def sample(self):
        procs, mains, todo = [], [], [self.root]
        while todo:  # the topmost ansible-playbook processes under ROOT (or ROOT), and all below them
            p = todo.pop()
            if is_ansible(p):
                mains.append(p)
                procs.append(p)
                procs.extend(descendants(p))
            else:
                todo.extend(children(p))
        self.samples += 1
        if not procs:
            return
        self.main_ticks = max(self.main_ticks, sum(own_ticks(p) for p in mains))
        rss = sum(status_kib(p, "VmRSS:") for p in procs)
        ticks = sum(cpu_ticks(p) for p in procs)
        self.cpu_ticks = max(self.cpu_ticks, ticks)
        if self.trace is not None:
            self.trace.append((time.time(), tuple(sorted(mains)), ticks, machine_busy_ticks()))
        if self.series:
            self.series.write(f"{time.monotonic() - self.t0:.2f} {len(procs)} {rss}\n")
        if rss > self.peak_rss:
            self.peak_rss, self.peak_at = rss, time.monotonic() - self.t0
        self.peak_procs = max(self.peak_procs, len(procs))
        if self.samples % 10 == 0:
            self.peak_pss = max(self.peak_pss, sum(pss_kib(p) for p in procs))

    def figures(self):
        return {
            "ansible_peak_rss_mib": round(self.peak_rss / 1024, 1),
            "ansible_peak_pss_mib": round(self.peak_pss / 1024, 1),
            "ansible_peak_procs": self.peak_procs,
            "ansible_peak_at_s": None if self.peak_at is None else round(self.peak_at, 2),
            "ansible_cpu_s": round(self.cpu_ticks / HZ, 2),
            "ansible_main_cpu_s": round(self.main_ticks / HZ, 2),
            "samples": self.samples,
        }


def split_command(args):
    if "--" not in args:
        sys.exit("scale_helper: missing -- CMD")
    i = args.index("--")
    return args[:i], args[i + 1:]


def options(opts, names):
    found = {}
    i = 0
    while i < len(opts):
        if opts[i] in names and i + 1 < len(opts):
            found[opts[i]] = opts[i + 1]
            i += 2
        else:
            sys.exit(f"scale_helper: unknown option {opts[i]}")
    return found


def measure(args):
    opts, cmd = split_command(args)
    o = options(opts, {"--masters", "--stdout", "--stderr", "--lab-pids", "--series"})
    out = open(o.get("--stdout", os.devnull), "wb")
    err = open(o.get("--stderr", os.devnull), "wb")
    load = load1()
    cpu = Cpu(o.get("--lab-pids"))
    start = time.time()
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    s = Sampler(proc.pid, o.get("--series"))
    while proc.poll() is None:
        s.sample()
        time.sleep(INTERVAL)
    wall = time.monotonic() - t0
    count, kib = masters_rss(o.get("--masters"))
    r = {"wall_s": round(wall, 3), "exit": proc.returncode, "start_epoch": round(start, 3), "load1_before": load}
    r.update(s.figures())
    r.update(cpu.figures())
    r.update({"ssh_masters_after": count, "ssh_masters_rss_mib": round(kib / 1024, 1)})
    print(json.dumps(r))


def parse_ts(text):
    """'2026-12-02T01:23:45.678901Z' (Ansible) or '20261202T012345.678Z' (run directory) -> epoch s."""
    text = text.rstrip("Z")
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y%m%dT%H%M%S.%f", "%Y%m%dT%H%M%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            pass
    return None


def analyse(run_dir):
    """One run directory: result.json's figures and, from events.jsonl, where the time went."""
    r = {"dir": os.path.basename(run_dir)}
    try:
        with open(os.path.join(run_dir, "result.json")) as f:
            res = json.load(f)
    except (OSError, ValueError):
        r["complete"] = False
        return r
    r["complete"] = True
    r["phase"] = res.get("phase")
    r["duration_s"] = res.get("duration_seconds")
    r["exit"] = res.get("exit_code")
    hosts = res.get("hosts") or {}
    r["hosts"] = len(hosts)
    outcomes = {}
    for h in hosts.values():
        outcomes[h.get("outcome")] = outcomes.get(h.get("outcome"), 0) + 1
    r["outcomes"] = outcomes
    cmd = res.get("command") or []
    if "--forks" in cmd:
        r["forks"] = int(cmd[cmd.index("--forks") + 1])
    m = re.match(r"(\d{8}T\d{6}(?:\.\d+)?)Z", r["dir"])
    start = parse_ts(m.group(1)) if m else None
    r.update(timeline(os.path.join(run_dir, "events.jsonl"), start, r["duration_s"]))
    return r


def timeline(events_file, start, duration):
    """Startup, each task's span and the spacing of its host results, and the end, from the events."""
    play = stats = None
    per_host, bad = {}, []
    starts = {}  # task id -> the times its hosts were queued (strategy free only)
    tasks = []  # [name, start, [result times]]
    by_id = {}
    try:
        with open(events_file) as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                ev, ts = e.get("_event", ""), parse_ts(e.get("_timestamp", ""))
                if ts is None:
                    continue
                if ev == "v2_playbook_on_play_start" and play is None:
                    play = ts
                elif ev in ("v2_playbook_on_task_start", "v2_runner_on_start"):
                    t = e.get("task", {})
                    if t.get("id") not in by_id:
                        by_id[t.get("id")] = [t.get("name"), ts, []]
                        tasks.append(by_id[t.get("id")])
                    if ev == "v2_runner_on_start":
                        starts.setdefault(t.get("id"), []).append(ts)
                elif ev.startswith("v2_runner_on_") and ev != "v2_runner_on_start":
                    t = e.get("task", {})
                    if t.get("id") not in by_id:
                        by_id[t.get("id")] = [t.get("name"), ts, []]
                        tasks.append(by_id[t.get("id")])
                    by_id[t.get("id")][2].append(ts)
                elif ev == "v2_playbook_on_stats":
                    stats = ts
                    per_host = e.get("stats") or {}
                    bad = sorted(h for h, c in per_host.items() if c.get("unreachable") or c.get("failures"))
    except OSError:
        return {}
    out = {}
    if start is not None and play is not None:
        out["startup_s"] = round(play - start, 3)
    tl = []
    ids = {id(v): k for k, v in by_id.items()}
    for entry in tasks:
        name, ts, results = entry
        queued = sorted(starts.get(ids[id(entry)], []))
        results.sort()
        item = {"task": name, "results": len(results)}
        if start is not None:
            item["start_s"] = round(ts - start, 3)
        if results:
            item["first_result_s"] = round(results[0] - ts, 3)
            item["last_result_s"] = round(results[-1] - ts, 3)
            if len(results) > 1:
                item["result_spacing_ms"] = round((results[-1] - results[0]) / (len(results) - 1) * 1000, 1)
        if len(queued) > 1:
            item["queued"] = len(queued)
            item["queue_spacing_ms"] = round((queued[-1] - queued[0]) / (len(queued) - 1) * 1000, 1)
            item["last_queued_s"] = round(queued[-1] - ts, 3)
        tl.append(item)
    out["tasks"] = tl
    out["stats_hosts"] = len(per_host)
    out["stats_bad_hosts"] = bad
    if stats is not None and start is not None and duration is not None:
        out["stats_to_exit_s"] = round(start + duration - stats, 3)
    return out


def timeline_cmd(args):
    events, start, duration = args
    print(json.dumps(timeline(events, float(start), float(duration))))


def runs(args):
    state_dir, since = args
    with open(since) as f:
        old = set(f.read().split())
    base = os.path.join(state_dir, "runs")
    new = sorted(d for d in os.listdir(base) if d not in old and os.path.isdir(os.path.join(base, d)))
    print(json.dumps({"runs": [analyse(os.path.join(base, d)) for d in new]}))


def run_dirs(state_dir):
    base = os.path.join(state_dir, "runs")
    try:
        return set(os.listdir(base))
    except OSError:
        return set()


def daemon(args):
    opts, cmd = split_command(args)
    o = options(opts, {"--state-dir", "--idle", "--timeout", "--masters", "--stdout", "--stderr", "--series"})
    state_dir = o["--state-dir"]
    idle_s, timeout = float(o.get("--idle", "5")), float(o.get("--timeout", "600"))
    before = run_dirs(state_dir)
    out = open(o.get("--stdout", os.devnull), "wb")
    err = open(o.get("--stderr", os.devnull), "wb")
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    s = Sampler(proc.pid, o.get("--series"))
    r = {"idle": False}
    first_done = quiet_since = None
    while proc.poll() is None and time.monotonic() - t0 < timeout:
        s.sample()
        now = time.monotonic()
        if first_done is None:
            done = [d for d in run_dirs(state_dir) - before
                    if os.path.exists(os.path.join(state_dir, "runs", d, "result.json"))]
            if done:
                first_done = now
                r["first_run_done_s"] = round(now - t0, 2)
        if first_done is not None:
            if descendants(proc.pid):
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            elif now - quiet_since >= idle_s:
                r["idle"] = True
                r["idle_at_s"] = round(now - t0, 2)
                break
        time.sleep(INTERVAL)
    r["rss_mib"] = round(status_kib(proc.pid, "VmRSS:") / 1024, 1)
    r["hwm_mib"] = round(status_kib(proc.pid, "VmHWM:") / 1024, 1)
    r.update(s.figures())
    count, kib = masters_rss(o.get("--masters"))
    r.update({"ssh_masters": count, "ssh_masters_rss_mib": round(kib / 1024, 1)})
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            r["killed"] = True
    r["exit"] = proc.returncode
    r["wall_s"] = round(time.monotonic() - t0, 2)
    r["runs"] = [analyse(os.path.join(state_dir, "runs", d)) for d in sorted(run_dirs(state_dir) - before)]
    print(json.dumps(r))


def health_play_servers(playbook):
    """The first play's name and the servers of its xrootdrestart_units (the health play's)."""
    name, read, in_units = None, [], False
    try:
        with open(playbook) as f:
            for line in f:
                if name is None:
                    m = re.match(r'- name: "?(.*?)"?\s*$', line)
                    if m:
                        name = m.group(1)
                    continue
                if line.startswith("- "):  # the next play
                    break
                if line.rstrip() == "    xrootdrestart_units:":
                    in_units = True
                elif in_units:
                    m = re.match(r"      (\S+):", line)
                    if not m:
                        in_units = False
                    else:
                        read.append(m.group(1).strip("'\""))
    except OSError:
        pass
    return name, read


def play_starts(events_file):
    """The times of the plays' starts, of the first play's first task and its results, and the stats."""
    plays, task, results, stats = [], None, [], None
    try:
        with open(events_file) as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue
                ev, ts = e.get("_event", ""), parse_ts(e.get("_timestamp", ""))
                if ts is None:
                    continue
                if ev == "v2_playbook_on_play_start":
                    plays.append(ts)
                elif len(plays) == 1 and ev == "v2_playbook_on_task_start" and task is None:
                    task = ts
                elif len(plays) == 1 and ev.startswith("v2_runner_on_") and ev != "v2_runner_on_start":
                    results.append(ts)
                elif ev == "v2_playbook_on_stats":
                    stats = ts
    except OSError:
        pass
    return plays, task, results, stats


def cpu_at(trace, since, t):
    """The CPU ticks of the ansible-playbook tree running at T (sampled after SINCE): the largest
    value sampled for it up to T; and the machine's busy ticks at the last sample up to T."""
    window = [x for x in trace if since <= x[0] <= t and x[1]]
    if not window:
        return None, None
    mains = window[-1][1]
    return max(x[2] for x in window if x[1] == mains), window[-1][3]


def slot_run(run_dir, trace):
    """One restart run: its health play's servers, wall time and Ansible's CPU time."""
    r = {"dir": os.path.basename(run_dir)}
    m = re.match(r"(\d{8}T\d{6}(?:\.\d+)?)Z-(.*)-restart$", r["dir"])
    start = parse_ts(m.group(1)) if m else None
    r["target"] = m.group(2) if m else None
    try:
        with open(os.path.join(run_dir, "result.json")) as f:
            res = json.load(f)
        r["complete"] = True
        r["exit"] = res.get("exit_code")
        r["duration_s"] = res.get("duration_seconds")
        outcomes = {}
        for h in ((res.get("plays") or {}).get("health") or {}).values():
            outcomes[h.get("outcome")] = outcomes.get(h.get("outcome"), 0) + 1
        r["health_outcomes"] = outcomes
    except (OSError, ValueError):
        r["complete"] = False
    name, read = health_play_servers(os.path.join(run_dir, "playbook.yml"))
    r["play"] = name
    m = re.search(r" on (\d+) servers?$", name or "")
    r["k"] = int(m.group(1)) if m else None
    r["read"] = read
    plays, task, results, stats = play_starts(os.path.join(run_dir, "events.jsonl"))
    end = plays[1] if len(plays) > 1 else stats
    if plays and start is not None:
        r["startup_s"] = round(plays[0] - start, 3)
    if plays and end is not None:
        r["health_play_s"] = round(end - plays[0], 3)
        if start is not None:
            r["to_health_end_s"] = round(end - start, 3)
    if task is not None and results:
        r["health_task_s"] = round(max(results) - task, 3)
    if plays and end is not None and start is not None:
        (c0, m0), (c1, m1) = cpu_at(trace, start - 1, plays[0]), cpu_at(trace, start - 1, end)
        if c0 is not None:
            r["ansible_cpu_startup_s"] = round(c0 / HZ, 2)
        if c1 is not None:
            r["ansible_cpu_health_s"] = round((c1 - (c0 or 0)) / HZ, 2)
        if m0 is not None and m1 is not None:
            r["machine_busy_health_s"] = round((m1 - m0) / HZ, 2)
    return r


def slots(args):
    opts, cmd = split_command(args)
    o = options(opts, {"--state-dir", "--restarts", "--timeout", "--stdout", "--stderr", "--series", "--lab-pids"})
    state_dir = o["--state-dir"]
    want, timeout = int(o.get("--restarts", "3")), float(o.get("--timeout", "600"))
    before = run_dirs(state_dir)
    out = open(o.get("--stdout", os.devnull), "wb")
    err = open(o.get("--stderr", os.devnull), "wb")
    load = load1()
    cpu = Cpu(o.get("--lab-pids"))
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    s = Sampler(proc.pid, o.get("--series"), trace=True)
    r = {"done": False, "load1_before": load}

    def ended():
        return sorted(d for d in run_dirs(state_dir) - before if d.endswith("-restart")
                      and os.path.exists(os.path.join(state_dir, "runs", d, "result.json")))

    quiet_since = None
    while proc.poll() is None and time.monotonic() - t0 < timeout:
        s.sample()
        now = time.monotonic()
        if not r["done"] and len(ended()) >= want:
            r["done"] = True
            r["done_at_s"] = round(now - t0, 2)
        if r["done"]:  # the daemon finishes the slot (no child process for 1 s, at most 30 s)
            if descendants(proc.pid):
                quiet_since = None
            elif quiet_since is None:
                quiet_since = now
            if (quiet_since is not None and now - quiet_since >= 1) or now - t0 - r["done_at_s"] >= 30:
                break
        time.sleep(INTERVAL)
    r["rss_mib"] = round(status_kib(proc.pid, "VmRSS:") / 1024, 1)
    r["hwm_mib"] = round(status_kib(proc.pid, "VmHWM:") / 1024, 1)
    r.update(s.figures())
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            r["killed"] = True
    r["exit"] = proc.returncode
    r["wall_s"] = round(time.monotonic() - t0, 2)
    r.update(cpu.figures())
    err.close()
    log_k, succeeded = [], 0
    try:
        with open(o.get("--stderr", os.devnull), errors="replace") as f:
            for line in f:
                m = re.search(r"health: read (\d+) of (\d+) servers", line)
                if m:
                    log_k.append(int(m.group(1)))
                if ": restart succeeded" in line:
                    succeeded += 1
    except OSError:
        pass
    r["log_read_k"] = log_k  # the log says it only when a run read part of the fleet
    r["log_restarts_succeeded"] = succeeded
    base = os.path.join(state_dir, "runs")
    r["runs"] = [slot_run(os.path.join(base, d), s.trace)
                 for d in sorted(run_dirs(state_dir) - before) if d.endswith("-restart")]
    print(json.dumps(r))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sub, args = sys.argv[1], sys.argv[2:]
    {"measure": measure, "runs": runs, "timeline": timeline_cmd, "daemon": daemon,
     "slots": slots}.get(sub, lambda a: sys.exit(__doc__))(args)


if __name__ == "__main__":
    main()
