#!/usr/bin/env python3
"""Helper of testing/bench/clients (Python 3, standard library only): watches when each data server
of a lab serves, and works out per restart how long it took to serve again.

  poll --lab-dir DIR --out FILE [--interval S] [--idle-interval S]
      Until SIGTERM/SIGINT: asks every data server of the lab (LAB_DIR/xrootd/layout.json) from the
      client network namespace `xrdfs IP:PORT query config cms` (XRD_CONNECTIONRETRY=1
      XRD_REQUESTTIMEOUT=3 XRD_TIMEOUTRESOLUTION=1, killed after 5 s; run it with `lab client` to save
      an nsenter per query) and appends one JSON line to FILE for its first answer, for every change
      between "/a" and not "/a" ("change": true), and for every answer while it is coming back:
        {"server", "state": "/a"|"/d"|"down"|"other", "t": when the query was sent, "change",
         "prev_t": when the query before was sent (null for the first)}
      A server is asked every --interval s (default 0.2) while it is coming back: its action log
      (LAB_DIR/servers/NAME/actions.log) shows a unit started after the last stop, and it has not
      answered "/a" since; else every --idle-interval s (default 5), so that a server in the cluster
      or waiting out a drain costs little (its "/a" -> not "/a" changes are seen that late). At the
      end one line
      {"type": "poller_end", "queries", "cpu_s"} (the CPU time of the poller and its xrdfs runs).
  analyze --actions FILE --poll FILE --from T0 --to T1
      FILE of `lab log all` lines (TIME_MS SERVER VERB UNITS RC USER; TIME_MS is when the call
      returned). Per server with a call in [T0, T1]:
        last_start   the last successful start/restart of cmsd@cluster or xrootd@cluster (unix s)
        serving_s    from last_start to the first query sent after it that was answered "/a"
                     (null when none was)
        drain_s      from the return of `stop cmsd@cluster` to the return of the next
                     `stop xrootd@cluster` (null when both were stopped by one call, as naive does)
      Prints one JSON object: {"restarts": [...], "restarted", "serving_median_s", "serving_max_s",
      "drain_mean_s", "not_serving": [servers restarted that never answered "/a" afterwards]}.
      serving_s is resolved to about the poll interval plus a query's time (0.05 s).
"""
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import threading
import time

UNITS = ("cmsd@cluster", "xrootd@cluster")
CLIENT_ENV = {"XRD_CONNECTIONRETRY": "1", "XRD_REQUESTTIMEOUT": "3", "XRD_TIMEOUTRESOLUTION": "1",
              "XRD_CONNECTIONWINDOW": "3"}


def options(args, names, flags=()):
    found, i = {}, 0
    while i < len(args):
        if args[i] in names and i + 1 < len(args):
            found[args[i]] = args[i + 1]
            i += 2
        elif args[i] in flags:
            found[args[i]] = True
            i += 1
        else:
            sys.exit(f"clients_helper: unknown option {args[i]}")
    return found


def in_netns(netns):
    """True when this process already runs in network namespace NETNS (e.g. started by `lab client`)."""
    try:
        here, there = os.stat("/proc/self/ns/net"), os.stat(f"/run/netns/{netns}")
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def query_state(netns, ip, port):
    cmd = ["xrdfs", f"{ip}:{port}", "query", "config", "cms"]
    if netns:
        cmd = ["nsenter", f"--net=/run/netns/{netns}", "--"] + cmd
    env = {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), **CLIENT_ENV}
    try:
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=5)
    except subprocess.TimeoutExpired:
        return "down"
    if p.returncode != 0:
        return "down"
    lines = [x.strip() for x in p.stdout.decode(errors="replace").splitlines() if x.strip()]
    last = lines[-1] if lines else ""
    if last.endswith("/a"):
        return "/a"
    if last.endswith("/d"):
        return "/d"
    return "other"


def coming_back(log):
    """When the action log's last successful start/restart of a unit came after its last stop: that
    call's time (unix s); else None."""
    started = None
    try:
        with open(log) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 5 and parts[0].isdigit() and any(u in UNITS for u in parts[3].split(",")):
                    if parts[2] in ("start", "restart") and parts[4] == "0":
                        started = int(parts[0]) / 1000.0
                    elif parts[2] == "stop":
                        started = None
    except OSError:
        pass
    return started


def poll(args):
    o = options(args, {"--lab-dir", "--out", "--interval", "--idle-interval"})
    lab_dir, out_path = o["--lab-dir"], o["--out"]
    interval = float(o.get("--interval", 0.2))
    idle_interval = float(o.get("--idle-interval", 5.0))
    with open(os.path.join(lab_dir, "xrootd", "layout.json")) as f:
        layout = json.load(f)
    netns = layout.get("client_netns")
    if netns and in_netns(netns):
        netns = None  # one nsenter less per query
    stop = threading.Event()
    lock = threading.Lock()
    out = open(out_path, "a")
    counts = {"queries": 0}

    def write(record):
        with lock:
            out.write(json.dumps(record) + "\n")
            out.flush()

    def watch(name, ip, port):
        log = os.path.join(lab_dir, "servers", name, "actions.log")
        state = last_t = mtime = started = None
        while not stop.is_set():
            try:
                m = os.stat(log).st_mtime
            except OSError:
                m = 0
            if m != mtime:
                mtime, started = m, coming_back(log)
            fast = started is not None and (state != "/a" or last_t is None or last_t < started)
            every = interval if fast else idle_interval
            wait = 0.0 if last_t is None else last_t + every - time.time()
            if wait > 0:
                stop.wait(min(wait, interval))  # looks at the action log again meanwhile
                continue
            t = time.time()
            new = query_state(netns, ip, port)
            with lock:
                counts["queries"] += 1
            change = state is None or (new == "/a") != (state == "/a")
            if change or fast:
                write({"server": name, "state": new, "t": round(t, 3), "change": change,
                       "prev_t": None if last_t is None else round(last_t, 3)})
            state = new
            last_t = t

    threads = [threading.Thread(target=watch, args=(name, s["ip"], s.get("port", 1094)), daemon=True)
               for name, s in layout["servers"].items()]
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    for t in threads:
        t.start()
    while not stop.is_set():
        stop.wait(1)
    for t in threads:
        t.join(timeout=12)
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    write({"type": "poller_end", "queries": counts["queries"],
           "cpu_s": round(me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime, 2)})
    out.close()


def read_actions(path, t0, t1):
    """{server: [(time_s, verb, [units], rc)]} of the calls that returned in [t0, t1], in order."""
    per = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 5 or not parts[0].isdigit():
                continue
            t = int(parts[0]) / 1000.0
            if not t0 <= t <= t1:
                continue
            units = [] if parts[3] == "-" else parts[3].split(",")
            per.setdefault(parts[1], []).append((t, parts[2], units, int(parts[4])))
    for calls in per.values():
        calls.sort(key=lambda c: c[0])
    return per


def read_poll(path):
    per = {}
    with open(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if "server" in r:
                per.setdefault(r["server"], []).append(r)
    for recs in per.values():
        recs.sort(key=lambda r: r["t"])
    return per


def analyze(args):
    o = options(args, {"--actions", "--poll", "--from", "--to"})
    t0, t1 = float(o["--from"]), float(o["--to"])
    actions = read_actions(o["--actions"], t0, t1)
    polls = read_poll(o["--poll"])
    restarts, not_serving = [], []
    for server in sorted(actions, key=lambda s: (len(s), s)):
        calls = actions[server]
        starts = [c for c in calls if c[1] in ("start", "restart") and c[3] == 0
                  and any(u.removesuffix(".service") in UNITS for u in c[2])]
        if not starts:
            continue
        last_start = starts[-1][0]
        drain = None
        cmsd_stop = [c[0] for c in calls if c[1] == "stop" and c[3] == 0 and c[2] == ["cmsd@cluster"]]
        if cmsd_stop:
            after = [c[0] for c in calls if c[1] == "stop" and c[3] == 0 and c[2] == ["xrootd@cluster"]
                     and c[0] >= cmsd_stop[-1]]
            if after:
                drain = round(after[0] - cmsd_stop[-1], 3)
        first = next((r for r in polls.get(server, []) if r["t"] > last_start and r["state"] == "/a"), None)
        serving = None if first is None else round(first["t"] - last_start, 3)
        if serving is None:
            not_serving.append(server)
        restarts.append({"server": server, "last_start": round(last_start, 3), "serving_s": serving,
                         "drain_s": drain})
    serv = [r["serving_s"] for r in restarts if r["serving_s"] is not None]
    drains = [r["drain_s"] for r in restarts if r["drain_s"] is not None]
    print(json.dumps({
        "restarts": restarts,
        "restarted": len(restarts),
        "serving_median_s": round(statistics.median(serv), 3) if serv else None,
        "serving_max_s": round(max(serv), 3) if serv else None,
        "drain_mean_s": round(statistics.mean(drains), 3) if drains else None,
        "not_serving": not_serving,
    }))


def main():
    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help", "help"):
        print(__doc__)
        return
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "poll":
        poll(rest)
    elif cmd == "analyze":
        analyze(rest)
    else:
        sys.exit(f"clients_helper: unknown command {cmd}")


if __name__ == "__main__":
    main()
