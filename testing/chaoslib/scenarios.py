"""testing/chaos run / replay: randomized fault-injection scenarios against the real daemon on the lab.

    testing/chaos run [--scenarios N] [--seed S] [--servers MIN-MAX] [--xrootd] [--verbose] [--keep]
                      [--shard K/N]
    testing/chaos replay SEED [--servers MIN-MAX] [--xrootd]
    testing/chaos verdict-check          (the checker itself, on made-up witnesses; no lab)

`run` draws N scenario seeds from S (default: from the clock; printed) and runs each scenario on ONE
lab of MAX servers (`testing/lab/lab up MAX` in CHAOS_DIR/lab, provisioned once with
playbooks/setup.yml as the admin); `replay SEED` runs the one scenario of that seed (give the same
--servers and --xrootd as the run that printed it), printing what it does as it does it. A scenario is
a pure function of its seed and those options: the fleet (MIN..MAX servers of the lab, a random subset
in a random order: the daemon's inventory, whose order is the rotation's), min_ok (often high), a slot
every 3-4.5 s (cmsd_period = that x N), cmsd_wait 0-1 s, service_timeout 4 s, connect_timeout 3 s,
drain_until_idle on or off, alert_resend 3 s, a stop and start delay of 0.3-0.6 s on every unit, and
1-4 faults over a window of 6-11 s, timed from the daemon's first slot (t=0):

    unit       stop-delay, start-delay, fail, fail-once, hang SECONDS, hang forever (until the daemon's
               SIGKILL of the unit, or the fault's end) of cmsd or xrootd; mostly on a server whose
               turn comes in the window, set shortly before its slot
    down       a unit stopped by someone else (systemctl stop as root on the server; started again at
               the fault's end): the sim lab's stand-in for a crashed daemon, and what makes the guard hold
    net        one server unreachable for 5-10 s; two servers unreachable at once
    daemon     SIGKILL at a random moment, started again 0.2-3 s later; SIGTERM 0-1.5 s into a restart
               of the running process (it must restore and exit 0), started again
    alertmgr   Alertmanager (and the recording proxy in front of it) down, then up again
    statedir   state_dir read-only (a read-only bind mount over it), or full (its tmpfs filled), a while
    real       (--xrootd only) crash (SIGKILL) or freeze (SIGSTOP) a real cmsd or xrootd; the daemon then
               uses health_check: xrootd and remedial_per_day: 0

The daemon runs as a site runs it: `java (roles/.../jvm-options) -jar xrootdrestart.jar run --config
FILE` as root, real playbooks over real sshd, alerts to the real Alertmanager (Debian's
/usr/bin/prometheus-alertmanager on loopback), under a supervisor that restarts it after an exit as the
service unit does (Restart=on-failure, never after exit 2 or 0; RestartSec 1 s instead of 30 s). When
the window ends every fault is cleared (and what the harness stopped is started); the scenario waits
until the daemon has had one slot after that (its restart, if any, finished) and its alert outbox is
empty, stops it with SIGTERM (exit 0 expected) and judges the invariants from the witnesses: see
verdict.py for what is checked and how.

A failing scenario prints its seed, the replay command, its timeline (planned and as done), each
invariant broken with its evidence (action log lines, Alertmanager POSTs, daemon log lines), and keeps
its directory CHAOS_DIR/scenarios/SEED (daemon.log, actions.log, alertmanager-posts.jsonl,
alertmanager-final.json, state-versions.jsonl, state-copy/, timeline.txt, verdict.txt); the lab's
files are kept too (`lab down` without --purge). Exit code: 0 every scenario passed; 1 some failed;
2 the harness could not run (lab, Alertmanager, setup.yml: never a skip).

Environment: CHAOS_DIR (default /tmp/chaosrun); JAR (default <repo>/target/xrootdrestart.jar, copied
before use; or a launcher of the command line, as the JUnit test passes); CHAOS_KEEP_LAB=1 leaves the
lab up and provisioned at the end and reuses it at the next run (for working on the harness). Needs
root (the lab, the tmpfs of state_dir). Time: 20-40 s per scenario on a busy 2-core machine (the
daemon's start-up and first health check, the window, then one slot), plus about 40 s for the lab and
setup.yml.
"""

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import traceback

import yaml

from . import labrig
from . import verdict

UNITS = labrig.UNITS
REPO = labrig.REPO
say = labrig.say


# ------------------------------------------------------------------------------- the scenarios


def parse_range(s):
    m = re.fullmatch(r"(\d+)(?:-(\d+))?", s)
    if not m:
        raise argparse.ArgumentTypeError("--servers takes MIN-MAX, e.g. 3-8")
    lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
    if lo < 3 or hi < lo or hi > 20:
        raise argparse.ArgumentTypeError("--servers: 3 <= MIN <= MAX <= 20")
    return lo, hi


def r1(x):
    return round(x, 1)


def generate(seed, lo, hi, xrootd=False):
    """The scenario of a seed: a plain dict, printed as it is."""
    r = random.Random(seed)
    n = r.randint(lo, hi)
    servers = r.sample(["lab%d" % i for i in range(1, hi + 1)], n)
    interval = r1(r.uniform(3.0, 4.5))
    sc = {
        "seed": seed,
        "servers": servers,
        # often high: a fault or two then makes the guard hold
        "min_ok": max(1, n - 1 - r.choice([0, 0, 1, 1, 2, n])),
        "interval": interval,
        "period_ms": int(interval * n * 1000),
        "cmsd_wait": r.choice([0, 1]),
        "service_timeout": 4,
        "connect_timeout": 3,
        "drain_until_idle": r.random() < 0.3,
        "alert_resend": 3,
        "xrootd": xrootd,
    }
    # every unit stops and starts in 0.25-0.6 s: a call lasts long enough to be seen under way
    base = {}
    for s in servers:
        for u in UNITS:
            a = r1(r.uniform(0.3, 0.4))
            base["%s %s" % (s, u)] = [a, r1(a + r.uniform(0.0, 0.2))]
    sc["base_delay"] = base
    window = r1(r.uniform(6.0, 11.0))
    sc["window"] = window
    events = []
    used_units = set()
    kinds = ["unit", "unit", "unit", "unit", "down", "down", "unreachable", "unreachable2", "sigkill", "sigterm",
             "amdown", "readonly", "full"]
    if xrootd:
        kinds += ["crash", "freeze"]
    k = r.randint(1, 4)
    picked = []
    for _ in range(k):
        kind = r.choice(kinds)
        if kind in ("readonly", "full") and any(p in ("readonly", "full") for p in picked):
            kind = "unit"
        if kind in ("sigkill", "sigterm") and any(p in ("sigkill", "sigterm") for p in picked):
            kind = "unit"
        picked.append(kind)
    for kind in picked:
        at = r1(r.uniform(0.0, window - 1.5))
        until = r1(min(window, at + r.uniform(2.0, 8.0)))
        if kind == "unit":
            # mostly a server whose turn comes within the window, set a little before its slot (t=0 is the
            # daemon's first slot, the first server's; the rotation goes on in inventory order)
            free = [(s, u) for s in servers for u in UNITS if (s, u) not in used_units]
            s, u = r.choice(free)
            kth = min(int(window / interval), n - 1)
            if r.random() < 0.8:
                k_ = r.randint(min(1, kth), kth)
                if any((servers[k_], x) not in used_units for x in UNITS):
                    s = servers[k_]
                    u = r.choice([x for x in UNITS if (s, x) not in used_units])
                    at = r1(max(0.0, k_ * interval - r.uniform(0.2, 2.0)))
                    until = r1(min(window, at + r.uniform(3.0, 8.0)))
            used_units.add((s, u))
            f = r.choice(["stop-delay", "start-delay", "fail", "fail-once", "hang", "hang-forever"])
            if f in ("stop-delay", "start-delay"):
                lo_d = r1(r.uniform(0.5, 2.0))
                args = [f, lo_d, r1(lo_d + r.uniform(0.0, 2.0))]
            elif f in ("fail", "fail-once"):
                args = [f, r.choice(["start", "stop"])]
            elif f == "hang":
                args = ["hang", r.choice(["start", "stop"]), r1(r.uniform(1.0, 6.0))]
            else:
                args = ["hang", r.choice(["start", "stop"]), "forever"]
            events.append({"at": at, "until": until, "do": "unit", "server": s, "unit": u, "fault": args})
        elif kind == "down":
            # a unit stopped by someone else (an admin, or the sim lab's crash): the server is unhealthy
            events.append({"at": at, "until": until, "do": "down", "server": r.choice(servers),
                           "unit": r.choice(UNITS)})
        elif kind in ("unreachable", "unreachable2"):
            # long enough for SSH to give up (connect_timeout, keepalives) rather than stall and go on
            at = r1(r.uniform(0.0, max(0.5, window - 6.0)))
            until = r1(min(window, at + r.uniform(5.0, 10.0)))
            events.append({"at": at, "until": until, "do": "unreachable",
                           "servers": r.sample(servers, 1 if kind == "unreachable" else 2)})
        elif kind == "sigkill":
            events.append({"at": at, "do": "sigkill", "down_for": r1(r.uniform(0.2, 3.0))})
        elif kind == "sigterm":
            events.append({"at": at, "do": "sigterm", "delay": r1(r.uniform(0.0, 1.5)),
                           "down_for": r1(r.uniform(0.2, 2.0))})
        elif kind == "amdown":
            events.append({"at": at, "until": until, "do": "amdown"})
        elif kind in ("readonly", "full"):
            events.append({"at": at, "until": until, "do": kind})
        elif kind == "crash":
            events.append({"at": at, "do": "crash", "server": r.choice(servers), "unit": r.choice(UNITS)})
        elif kind == "freeze":
            events.append({"at": at, "until": until, "do": "freeze", "server": r.choice(servers),
                           "unit": r.choice(UNITS)})
    events.sort(key=lambda e: e["at"])
    sc["events"] = events
    stop_delays = [v[1] for v in base.values()]
    for e in events:
        if e["do"] == "unit" and e["fault"][0] == "stop-delay":
            stop_delays.append(e["fault"][2])
        if e["do"] == "unit" and e["fault"][0] == "hang" and e["fault"][1] == "stop" and e["fault"][2] != "forever":
            stop_delays.append(min(e["fault"][2], sc["service_timeout"]))
    sc["max_stop_delay"] = max(stop_delays)
    sc["min_delay"] = min(v[0] for v in base.values())
    return sc


def describe_event(e):
    w = "t+%.1fs" % e["at"]
    if e["do"] == "unit":
        s = "%s %s %s %s" % (w, e["server"], e["unit"], " ".join(map(str, e["fault"])))
    elif e["do"] == "unreachable":
        s = "%s unreachable %s" % (w, " ".join(e["servers"]))
    elif e["do"] == "down":
        s = "%s %s %s stopped by the harness (systemctl stop as root)" % (w, e["server"], e["unit"])
    elif e["do"] == "sigkill":
        s = "%s SIGKILL the daemon, start it again %.1f s later" % (w, e["down_for"])
    elif e["do"] == "sigterm":
        s = "%s SIGTERM the daemon %.1f s into the next restart, start it again %.1f s later" % (
            w, e["delay"], e["down_for"])
    elif e["do"] == "amdown":
        s = "%s Alertmanager down" % w
    elif e["do"] in ("readonly", "full"):
        s = "%s state_dir %s" % (w, "read-only" if e["do"] == "readonly" else "full")
    elif e["do"] == "crash":
        s = "%s crash %s %s" % (w, e["server"], e["unit"])
    else:
        s = "%s freeze %s %s" % (w, e["server"], e["unit"])
    if "until" in e:
        s += " until t+%.1fs" % e["until"]
    return s


def describe(sc):
    lines = ["seed %d: %d servers %s, min_ok %d, period %.1f s (a slot every %.1f s), cmsd_wait %d s, "
             "service_timeout %d s, drain_until_idle %s; faults over %.1f s:"
             % (sc["seed"], len(sc["servers"]), ",".join(sc["servers"]), sc["min_ok"], sc["period_ms"] / 1000.0,
                sc["interval"], sc["cmsd_wait"], sc["service_timeout"], str(sc["drain_until_idle"]).lower(),
                sc["window"])]
    for e in sc["events"]:
        lines.append("  " + describe_event(e))
    return lines


# ------------------------------------------------------------------------------------- the rig


class Rig:
    """One lab, one Alertmanager and one provisioning for every scenario of a run."""

    def __init__(self, base, lo, hi, xrootd):
        self.base = base
        self.hi = hi
        self.xrootd = xrootd
        self.lab = labrig.Lab(os.path.join(base, "lab"), hi, xrootd)
        self.am = labrig.Alertmanager(os.path.join(base, "alertmanager"))
        self.jar = os.path.join(base, "xrootdrestart.jar")
        self.prov = os.path.join(base, "provision")
        self.failed_any = False
        self.reuse = os.environ.get("CHAOS_KEEP_LAB") == "1"

    def up(self):
        os.makedirs(self.base, exist_ok=True)
        os.chmod(self.base, 0o755)
        src = os.environ.get("JAR") or os.path.join(REPO, "target", "xrootdrestart.jar")
        if not os.path.isfile(src):
            raise RuntimeError("no jar at %s (build it: mvn -B -ntp package -DskipTests, or set JAR)" % src)
        launcher = not src.endswith(".jar")  # a launcher of the command line (the JUnit test's)
        if launcher:
            self.jar = src
        elif os.path.abspath(src) != os.path.abspath(self.jar):
            shutil.copyfile(src, self.jar)  # a concurrent mvn package cannot change it under a running JVM
        opts = []
        with open(os.path.join(REPO, "roles", "xrootdrestart_controller", "files", "jvm-options")) as f:
            for line in f:
                line = line.strip()
                if line and not line.startswith("#"):
                    opts.append(line)
        self.java = ["java"] + opts + ["-jar", self.jar]
        self.env = None
        if launcher:
            self.java = [self.jar]
            self.env = dict(os.environ, JAVA_TOOL_OPTIONS=" ".join(opts))
        marker = os.path.join(self.prov, "provisioned-%d%s" % (self.hi, "-xrootd" if self.xrootd else ""))
        if self.reuse and os.path.exists(marker) and self.lab.lab("status", check=False).returncode == 0:
            # CHAOS_KEEP_LAB=1: the lab of the previous run, still up and provisioned
            say("lab: reusing %s (CHAOS_KEEP_LAB)" % self.lab.dir)
            for line in self.lab.lab("paths").stdout.splitlines():
                k, _, v = line.partition("=")
                if v.startswith("/"):
                    self.lab.paths[k.strip()] = v.strip()
            with open(self.lab.paths["inventory"]) as f:
                self.inventory = yaml.safe_load(f)
            self.am.start()
            return
        say("lab: up %d%s in %s" % (self.hi, " --xrootd" if self.xrootd else "", self.lab.dir))
        t = time.time()
        if os.path.exists(marker):
            os.unlink(marker)
        self.lab.up()
        say("lab up in %.1f s" % (time.time() - t))
        with open(self.lab.paths["inventory"]) as f:
            self.inventory = yaml.safe_load(f)
        self.am.start()
        self.provision()
        open(marker, "w").close()

    def provision(self):
        """playbooks/setup.yml once, as the admin, for every server of the lab (a new lab: new host keys)."""
        shutil.rmtree(self.prov, ignore_errors=True)
        os.makedirs(os.path.join(self.prov, "state"), exist_ok=True)
        cfg = {"cluster_id": "chaos", "inventory": self.lab.paths["inventory"],
               "state_dir": os.path.join(self.prov, "state"), "pkey_path": self.prov,
               "alert_url": self.am.url, "pushgw_url": "", "metrics_bind": "127.0.0.1",
               "metrics_port": labrig.free_port()}
        path = os.path.join(self.prov, "xrootdrestart.yml")
        with open(path, "w") as f:
            yaml.safe_dump(cfg, f)
        say("provisioning the lab with playbooks/setup.yml")
        t = time.time()
        p = subprocess.run(["ansible-playbook", "-i", self.lab.paths["inventory"],
                            os.path.join(REPO, "playbooks", "setup.yml"), "-e", "xrootdrestart_config=" + path,
                            "-e", "xrootdrestart_jar=" + self.jar],
                           env=dict(os.environ, ANSIBLE_CONFIG=self.lab.paths["ansible_cfg"]), cwd=REPO,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1800)
        with open(os.path.join(self.base, "setup.log"), "w") as f:
            f.write(p.stdout)
        if p.returncode != 0:
            raise RuntimeError("setup.yml failed (see %s/setup.log):\n%s" % (self.base, p.stdout[-3000:]))
        say("provisioned in %.1f s" % (time.time() - t))

    def down(self):
        try:
            self.am.stop()
        except Exception:  # noqa: BLE001
            pass
        if self.reuse:
            say("lab left up for the next run (CHAOS_KEEP_LAB=1): %s" % self.lab.dir)
            return
        keep = self.failed_any
        self.lab.down(purge=not keep)
        if keep:
            say("lab files kept in %s (a scenario failed); remove with LAB_DIR=%s testing/lab/lab down --purge"
                % (self.lab.dir, self.lab.dir))

    # -------------------------------------------------------------------------- one scenario

    def write_config(self, sc, sdir, state_dir):
        hosts = self.inventory["all"]["children"]["xrootd_servers"]["hosts"]
        inv = {"all": {"children": {"xrootd_servers": {
            "vars": self.inventory["all"]["children"]["xrootd_servers"].get("vars", {}),
            "hosts": {s: hosts[s] for s in sc["servers"]}}}}}
        with open(os.path.join(sdir, "hosts.yml"), "w") as f:
            yaml.safe_dump(inv, f, sort_keys=False)
        cfg = {
            "cluster_id": "chaos",
            "inventory": os.path.join(sdir, "hosts.yml"),
            "state_dir": state_dir,
            "pkey_path": self.prov,
            "cmsd_period": "%dms" % sc["period_ms"],
            "cmsd_wait": sc["cmsd_wait"],
            "service_timeout": sc["service_timeout"],
            "connect_timeout": sc["connect_timeout"],
            "min_ok": sc["min_ok"],
            "alert_url": self.am.url,
            "alert_resend": sc["alert_resend"],
            "pushgw_url": "",
            "metrics_bind": "127.0.0.1",
            "metrics_port": labrig.free_port(),
            "run_retention": 60,
            "drain_until_idle": sc["drain_until_idle"],
        }
        if sc.get("xrootd"):
            # real daemons: a frozen one must count as unhealthy; no out-of-turn restarts (invariant 3)
            cfg["health_check"] = "xrootd"
            cfg["remedial_per_day"] = 0
        path = os.path.join(sdir, "xrootdrestart.yml")
        with open(path, "w") as f:
            yaml.safe_dump(cfg, f, sort_keys=False)
        return path

    def run_scenario(self, sc, verbose):
        seed = sc["seed"]
        sdir = os.path.join(self.base, "scenarios", str(seed))
        labrig.StateDir(os.path.join(sdir, "state")).umount()
        shutil.rmtree(sdir, ignore_errors=True)
        os.makedirs(sdir)
        with open(os.path.join(sdir, "scenario.json"), "w") as f:
            json.dump(sc, f, indent=1)
        out = print if verbose else (lambda *a: None)
        for line in describe(sc):
            out(line)
        # a clean lab: no fault, reachable, every unit active, empty action logs; then the base delays
        self.lab.reset()
        for key, (a, b) in sc["base_delay"].items():
            s, u = key.split()
            self.lab.fault(s, u, "stop-delay", a, b)
            self.lab.fault(s, u, "start-delay", a, b)
        self.am.take_posts()
        self.am.ensure_up()
        state_dir = labrig.StateDir(os.path.join(sdir, "state"))
        state_dir.mount()
        try:
            shutil.copyfile(os.path.join(self.prov, "state", "known_hosts"), os.path.join(state_dir.path, "known_hosts"))
            config = self.write_config(sc, sdir, state_dir.path)
            self.daemon = None
            return self._run(sc, sdir, state_dir, config, out)
        finally:
            # this scenario's daemon if the harness broke down, and what it left (ssh control masters,
            # ansible runs): found by the scenario's directory in their command line
            if self.daemon is not None:
                self.daemon.want = False
                if self.daemon.alive():
                    self.daemon.sigkill()
            kill_leftovers(sdir)
            try:
                state_dir.read_only(False)
            except subprocess.CalledProcessError:
                pass
            state_dir.full(False)
            if os.path.ismount(state_dir.path):
                keep = os.path.join(sdir, "state-copy")
                os.makedirs(keep, exist_ok=True)
                subprocess.run(["cp", "-a", state_dir.path + "/.", keep], stderr=subprocess.DEVNULL)
                state_dir.umount()

    def _run(self, sc, sdir, state_dir, config, out):
        daemon = labrig.Daemon(self.java, config, os.path.join(sdir, "daemon.log"), self.env)
        self.daemon = daemon
        poller = labrig.StatePoller(os.path.join(state_dir.path, "state.json"))
        rec = {"breaks": [], "harness_down": set(), "terms": [], "state_faults": [], "done": []}
        poller.start()
        t_start = time.time()
        daemon.start()
        # the timeline's t=0 is the daemon's first slot (when state.json first names one)
        deadline = t_start + 60
        while time.time() < deadline:
            v = poller.latest()
            if v is not None and v.last_slot():
                break
            if not daemon.alive() and not daemon.want:
                break
            time.sleep(0.05)
        t0 = time.time()
        rec["t0"] = t0
        out("  t-%.1fs daemon started (pid %d); t=0: its first slot" % (t0 - t_start, daemon.proc.pid))

        actions = []  # (time, order, fn, text)
        for i, e in enumerate(sc["events"]):
            actions.append((e["at"], i, e, "begin"))
            if "until" in e:
                actions.append((e["until"], i, e, "end"))
        actions.sort(key=lambda a: (a[0], a[1]))

        def at(rel):
            d = t0 + rel - time.time()
            if d > 0:
                time.sleep(d)

        def note(text):
            out("  %s %s" % (verdict.fmt_t(time.time(), t0), text))
            rec["done"].append((time.time(), text))

        for rel, _, e, phase in actions:
            at(rel)
            self.act(e, phase, sc, daemon, poller, state_dir, rec, note)
        at(sc["window"])
        # the end of the faults: everything cleared, the daemon running
        rec["t_end"] = time.time()
        note("faults end: clearing every fault")
        for s in sc["servers"]:
            self.lab.unreachable(s, False)
            for u in UNITS:
                self.lab.fault(s, u, "clear")
                a, b = sc["base_delay"]["%s %s" % (s, u)]
                self.lab.fault(s, u, "stop-delay", a, b)
                self.lab.fault(s, u, "start-delay", a, b)
        for e in sc["events"]:
            if e["do"] == "down":  # what the harness stopped, it starts (the daemon is not to blame)
                self.lab.systemctl(e["server"], "start", e["unit"])
        if not self.am.up:
            self.am.start()
        state_dir.read_only(False)
        state_dir.full(False)
        if not daemon.alive():
            gave_up = [e for e in daemon.events if e[1] == "gave-up"]
            st, _ = self.lab.states()
            down = ["%s %s %s" % (s, u, st.get(s, {}).get(u)) for s in sc["servers"] for u in UNITS
                    if st.get(s, {}).get(u) != "active"]
            rec["down_while_gone"] = down
            note("with the daemon gone, units not active: %s" % (", ".join(down) or "none"))
            note("the daemon is not running%s: starting it" % (
                " (its supervisor gave up after exit %s)" % gave_up[-1][3] if gave_up else ""))
            daemon.start()
        # one slot after the end of the faults, then its restart (or hold) done
        t_slot = self.wait_slot(sc, poller, daemon, rec["t_end"], note)
        rec["t_slot_after"] = t_slot
        self.wait_outbox(sc, state_dir.path)
        rec["t_final"] = time.time()
        bound = 2 * (sc["service_timeout"] + sc["connect_timeout"]) + 30
        t = time.time()
        rc = daemon.sigterm(bound)
        note("SIGTERM at the end: exit %s after %.1f s" % (rc, time.time() - t))
        rec["terms"].append((t, rc, "at the end"))
        poller.stopping = True
        poller.join(2)
        time.sleep(0.3)
        rec["final_states"], _ = self.lab.states()
        rec["t_am"] = time.time()
        try:
            rec["am_final"] = self.am.alerts()
        except OSError as e:
            rec["am_final"] = []
            rec["done"].append((time.time(), "Alertmanager's list could not be read: %s" % e))
        rec["posts"] = self.am.take_posts()
        rec["calls"] = self.lab.calls(sc["servers"])
        rec["versions"] = list(poller.versions)
        rec["polls"] = list(poller.polls)
        rec["poll_gaps"] = list(poller.gaps)
        rec["daemon_events"] = list(daemon.events)
        rec["lifecycle"] = daemon.lifecycle_times()
        rec["daemon_log"] = read_log(os.path.join(sdir, "daemon.log"))
        rec["daemon_log_tail"] = [ln for _, ln in rec["daemon_log"]][-25:]
        # keep the witnesses with the scenario
        with open(os.path.join(sdir, "actions.log"), "w") as f:
            for c in self.lab.calls():
                f.write(c.line + "\n")
        with open(os.path.join(sdir, "alertmanager-posts.jsonl"), "w") as f:
            for p in rec["posts"]:
                f.write(json.dumps({"t": p.t, "status": p.status, "alerts": p.alerts}) + "\n")
        with open(os.path.join(sdir, "alertmanager-final.json"), "w") as f:
            json.dump(rec["am_final"], f, indent=1)
        with open(os.path.join(sdir, "state-versions.jsonl"), "w") as f:
            for v in rec["versions"]:
                f.write(json.dumps({"seen": v.seen, "mtime": v.mtime, "state": v.state}) + "\n")
        with open(os.path.join(sdir, "timeline.txt"), "w") as f:
            for t, text in rec["done"]:
                f.write("%s %s\n" % (verdict.fmt_t(t, t0), text))
            for e in daemon.events:
                f.write("%s daemon %s\n" % (verdict.fmt_t(e[0], t0), " ".join(map(str, e[1:]))))
        fails, notes = verdict.judge(sc, rec)
        rec["duration"] = time.time() - t0
        return fails, notes, rec

    def act(self, e, phase, sc, daemon, poller, state_dir, rec, note):
        d = e["do"]
        if d == "unit":
            if phase == "begin":
                f = e["fault"]
                self.lab.fault(e["server"], e["unit"], *f)
                note("%s %s fault %s" % (e["server"], e["unit"], " ".join(map(str, f))))
            else:
                self.lab.fault(e["server"], e["unit"], "clear")
                a, b = sc["base_delay"]["%s %s" % (e["server"], e["unit"])]
                self.lab.fault(e["server"], e["unit"], "stop-delay", a, b)
                self.lab.fault(e["server"], e["unit"], "start-delay", a, b)
                note("%s %s fault cleared" % (e["server"], e["unit"]))
        elif d == "down":
            if phase == "begin":
                self.lab.systemctl(e["server"], "stop", e["unit"])
                rec["breaks"].append((time.time(), e["server"], "down"))
                note("%s %s stopped by the harness" % (e["server"], e["unit"]))
            else:
                self.lab.systemctl(e["server"], "start", e["unit"])
                note("%s %s started by the harness" % (e["server"], e["unit"]))
        elif d == "unreachable":
            for s in e["servers"]:
                self.lab.unreachable(s, phase == "begin")
                if phase == "begin":
                    rec["breaks"].append((time.time(), s, "unreachable"))
            note("%s %s" % (" ".join(e["servers"]), "unreachable" if phase == "begin" else "reachable again"))
        elif d == "sigkill":
            if not daemon.alive():
                note("SIGKILL: the daemon is not running (left to its supervisor)")
                return
            daemon.sigkill()
            note("SIGKILL the daemon")
            time.sleep(e["down_for"])
            daemon.start()
            note("daemon started again (pid %d)" % daemon.proc.pid)
        elif d == "sigterm":
            deadline = max(time.time() + 2 * sc["interval"] + 5, rec["t0"] + sc["window"])
            while time.time() < deadline:
                # a restart by this daemon process: its own write names it (not a crashed one's leftover)
                v = poller.latest()
                started = daemon.events[-1][0] if daemon.events and daemon.events[-1][1] == "start" else 1e18
                if v is not None and v.in_flight() and daemon.alive() and v.mtime > started:
                    break
                time.sleep(0.05)
            else:
                note("SIGTERM: no restart under way until t%+.1fs: not sent" % (deadline - rec["t0"]))
                return
            if not daemon.alive():
                note("SIGTERM: the daemon is not running (left to its supervisor)")
                return
            time.sleep(e["delay"])
            v = poller.latest()
            what = "restart of %s in flight" % (v.in_flight() if v else None)
            t = time.time()
            bound = 2 * (sc["service_timeout"] + sc["connect_timeout"]) + 30
            rc = daemon.sigterm(bound)
            note("SIGTERM (%s): exit %s after %.1f s" % (what, rc, time.time() - t))
            if rc != "not running":
                rec["terms"].append((t, rc, what))
            time.sleep(e["down_for"])
            daemon.start()
            note("daemon started again (pid %d)" % daemon.proc.pid)
        elif d == "amdown":
            # two outages may overlap: Alertmanager is down from the first's start to the last's end
            downs = rec.setdefault("_am_downs", [0])
            if phase == "begin":
                downs[0] += 1
                if downs[0] == 1:
                    self.am.stop()
                note("Alertmanager down" + ("" if downs[0] == 1 else " (already)"))
            else:
                downs[0] -= 1
                if downs[0] == 0:
                    self.am.start()
                note("Alertmanager up" if downs[0] == 0 else "Alertmanager stays down (another outage)")
        elif d in ("readonly", "full"):
            if phase == "begin":
                rec["_sf"] = time.time()
                if d == "readonly":
                    state_dir.read_only(True)
                else:
                    state_dir.full(True)
                note("state_dir %s" % ("read-only" if d == "readonly" else "full"))
            else:
                if d == "readonly":
                    state_dir.read_only(False)
                else:
                    state_dir.full(False)
                rec["state_faults"].append((rec.pop("_sf"), time.time(), "read-only" if d == "readonly" else "full"))
                note("state_dir writable again")
        elif d == "crash":
            try:
                self.lab.fault(e["server"], e["unit"], "crash")
                rec["breaks"].append((time.time(), e["server"], "crash"))
                rec["harness_down"].add((e["server"], e["unit"]))
                note("crash %s %s" % (e["server"], e["unit"]))
            except RuntimeError as x:
                note("crash %s %s: %s" % (e["server"], e["unit"], str(x).strip().splitlines()[-1]))
        elif d == "freeze":
            if phase == "begin":
                try:
                    self.lab.fault(e["server"], e["unit"], "freeze")
                    note("freeze %s %s" % (e["server"], e["unit"]))
                except RuntimeError as x:
                    note("freeze %s %s: %s" % (e["server"], e["unit"], str(x).strip().splitlines()[-1]))
            else:
                self.lab.fault(e["server"], e["unit"], "clear")
                note("thaw %s %s" % (e["server"], e["unit"]))

    def wait_slot(self, sc, poller, daemon, t_end, note):
        """Until the daemon has had a slot after t_end and that slot's restart began or the next slot came."""
        limit = time.time() + 3 * sc["interval"] + 4 * (sc["service_timeout"] + sc["connect_timeout"]) + 30
        first = None
        while time.time() < limit:
            v = poller.latest()
            ls = verdict.iso(v.last_slot()) if v else None
            if ls and ls > t_end:
                first = (ls, v.last_slot())
                break
            time.sleep(0.1)
        if first is None:
            note("no slot after the end of the faults within the limit")
            return None
        note("the daemon's slot after the faults: %s" % time.strftime("%H:%M:%S", time.gmtime(first[0])))
        limit2 = time.time() + 1.5 * sc["interval"] + 2 * (sc["service_timeout"] + sc["connect_timeout"]) + 20
        while time.time() < limit2:
            v = poller.latest()
            if v.in_flight() or v.last_slot() != first[1]:
                break
            time.sleep(0.05)
        # a restart under way: let it finish (the SIGTERM would cut it short otherwise)
        while time.time() < limit2:
            v = poller.latest()
            if not v.in_flight():
                break
            time.sleep(0.05)
        return first[0]

    def wait_outbox(self, sc, state_path):
        """Until alerts.json has no undelivered alert (or 4 resends have passed)."""
        deadline = time.time() + 4 * sc["alert_resend"] + 10
        while time.time() < deadline:
            try:
                with open(os.path.join(state_path, "alerts.json")) as f:
                    a = json.load(f)
                if not a.get("outbox"):
                    return True
            except (OSError, ValueError):
                return True
            time.sleep(0.2)
        return False


def read_log(path):
    """The daemon's log lines with their times: its own (HH:MM:SS.mmm, local time, on standard error; or
    a full ISO time), on the day of the harness's start marker before them; a line without one (a stack
    trace, "internal error: ...") takes the time of the line before it."""
    import datetime as dt
    out = []
    t = 0.0
    day = None
    iso_pat = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+)(Z|[+-]\d\d:\d\d)")
    hms_pat = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) ")
    try:
        with open(path, errors="replace") as f:
            for line in f:
                m = iso_pat.match(line)
                h = hms_pat.match(line)
                if line.startswith("---- chaos: daemon started at "):
                    t = float(line.split()[-1])
                    day = dt.datetime.fromtimestamp(t).replace(hour=0, minute=0, second=0, microsecond=0)
                elif m:
                    ts = m.group(1) + ("+00:00" if m.group(2) == "Z" else m.group(2))
                    t = dt.datetime.fromisoformat(ts).timestamp()
                elif h and day is not None:
                    x = day.replace(hour=int(h.group(1)), minute=int(h.group(2)), second=int(h.group(3)),
                                    microsecond=int(h.group(4)) * 1000).timestamp()
                    if x < t - 43200:  # past midnight
                        x += 86400
                    t = x
                out.append((t, line.rstrip("\n")))
    except FileNotFoundError:
        pass
    return out


def kill_leftovers(state_path):
    """Processes this scenario's daemon left (ssh control masters, ansible runs), found by its state_dir."""
    me = os.getpid()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if state_path in cmd:
            try:
                os.kill(int(pid), 9)
            except OSError:
                pass


# ----------------------------------------------------------------------------------- reporting


def report_failure(sc, fails, notes, rec, base, lo, hi, xrootd):
    seed = sc["seed"]
    lines = ["", "FAILED scenario seed %d (replay: testing/chaos replay %d --servers %d-%d%s)"
             % (seed, seed, lo, hi, " --xrootd" if xrootd else "")]
    lines += describe(sc)
    lines.append("what the harness did:")
    for t, text in rec["done"]:
        lines.append("  %s %s" % (verdict.fmt_t(t, rec["t0"]), text))
    for f in fails:
        lines.append("invariant %s broken: %s" % (f.invariant, f.what))
        for ev in f.evidence[:30]:
            lines.append("    " + ev)
    for n in notes:
        lines.append("note: " + n)
    lines.append("kept: %s" % os.path.join(base, "scenarios", str(seed)))
    text = "\n".join(lines)
    with open(os.path.join(base, "scenarios", str(seed), "verdict.txt"), "w") as f:
        f.write(text + "\n")
    print(text, flush=True)


def run_many(seeds, lo, hi, xrootd, verbose, keep):
    base = os.path.abspath(os.environ.get("CHAOS_DIR", "/tmp/chaosrun"))
    if os.geteuid() != 0:
        print("testing/chaos: run as root (the lab and the state_dir tmpfs need it)", file=sys.stderr)
        return 2
    # Ctrl-C and SIGTERM end the run cleanly: the daemon killed, state_dir unmounted, the lab down
    # (a background job started by a shell ignores SIGINT unless told otherwise)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    rig = Rig(base, lo, hi, xrootd)
    t_start = time.time()
    failed = []
    counts = {}
    try:
        try:
            rig.up()
        except Exception as e:  # noqa: BLE001
            print("testing/chaos: the rig could not start: %s" % e, file=sys.stderr)
            rig.failed_any = True
            return 2
        for i, seed in enumerate(seeds):
            sc = generate(seed, lo, hi, xrootd)
            t = time.time()
            try:
                fails, notes, rec = rig.run_scenario(sc, verbose)
            except Exception:  # noqa: BLE001
                fails, notes, rec = [verdict.Failure("harness", traceback.format_exc())], [], None
            for e in sc["events"]:
                counts[e["do"] if e["do"] != "unit" else "unit " + e["fault"][0]] = \
                    counts.get(e["do"] if e["do"] != "unit" else "unit " + e["fault"][0], 0) + 1
            summ = rec["summary"] if rec else {}
            status = "ok" if not fails else "FAILED"
            say("scenario %d/%d seed %d: %s in %.1f s (%d servers, min_ok %d, %d fault(s); %s restarts, "
                "%s failed, %s held)" % (i + 1, len(seeds), seed, status, time.time() - t, len(sc["servers"]),
                                         sc["min_ok"], len(sc["events"]), summ.get("restarts", "?"),
                                         summ.get("failed_restarts", "?"), summ.get("holds", "?")))
            if fails:
                failed.append(seed)
                rig.failed_any = True
                if rec:
                    report_failure(sc, fails, notes, rec, base, lo, hi, xrootd)
                else:
                    print("\n".join(describe(sc)) + "\n" + fails[0].what, flush=True)
            else:
                if verbose:
                    for n in notes:
                        print("  note: " + n)
                if not keep:
                    shutil.rmtree(os.path.join(base, "scenarios", str(seed)), ignore_errors=True)
    finally:
        rig.down()
    took = time.time() - t_start
    print("chaos summary: %d scenario(s), %d passed, %d failed%s in %.0f s; faults drawn: %s"
          % (len(seeds), len(seeds) - len(failed), len(failed),
             (" (seeds " + " ".join(map(str, failed)) + ")") if failed else "", took,
             ", ".join("%s %d" % kv for kv in sorted(counts.items()))), flush=True)
    return 1 if failed else 0


def parse_shard(text):
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError("expected K/N with 1 <= K <= N, e.g. 1/2")
    return int(m.group(1)), int(m.group(2))


def main_run(argv):
    ap = argparse.ArgumentParser(prog="testing/chaos run", description="Randomized fault-injection scenarios "
                                 "against the daemon on the lab (see testing/chaoslib/scenarios.py).")
    ap.add_argument("--scenarios", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None, help="seed of the run (default: from the clock)")
    ap.add_argument("--servers", type=parse_range, default=(3, 8), help="fleet sizes MIN-MAX (default 3-8)")
    ap.add_argument("--xrootd", action="store_true", help="the real-daemon lab, with crash and freeze faults")
    ap.add_argument("--verbose", "-v", action="store_true", help="print each scenario's timeline as it runs")
    ap.add_argument("--keep", action="store_true", help="keep the directories of passing scenarios too")
    ap.add_argument("--shard", type=parse_shard, default=(1, 1),
                    help="K/N: run only every Nth scenario from the Kth (N runs side by side, each with its "
                         "own CHAOS_DIR, together run the same scenarios as one)")
    a = ap.parse_args(argv)
    seed = a.seed if a.seed is not None else int(time.time()) % 1000000000
    r = random.Random(seed)
    seeds = [r.randrange(1, 10 ** 9) for _ in range(a.scenarios)]
    seeds = seeds[a.shard[0] - 1::a.shard[1]]
    shard = " --shard %d/%d" % a.shard if a.shard != (1, 1) else ""
    print("chaos run: %d scenario(s), run seed %d (testing/chaos run --scenarios %d --seed %d --servers %d-%d%s%s)"
          % (len(seeds), seed, a.scenarios, seed, a.servers[0], a.servers[1], " --xrootd" if a.xrootd else "", shard),
          flush=True)
    return run_many(seeds, a.servers[0], a.servers[1], a.xrootd, a.verbose, a.keep)


def main_replay(argv):
    ap = argparse.ArgumentParser(prog="testing/chaos replay", description="Run the one scenario of SEED again, "
                                 "printing what it does.")
    ap.add_argument("seed", type=int)
    ap.add_argument("--servers", type=parse_range, default=(3, 8))
    ap.add_argument("--xrootd", action="store_true")
    a = ap.parse_args(argv)
    return run_many([a.seed], a.servers[0], a.servers[1], a.xrootd, True, True)
