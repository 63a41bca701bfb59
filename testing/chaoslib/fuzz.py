"""testing/chaos fuzz: feeds xrootdrestart broken inputs and checks that it refuses them cleanly.

    testing/chaos fuzz [--cases N] [--seed S] [--jobs J] [--keep-lab]
    testing/chaos fuzz --case SEED          rerun one case verbosely (its seed is printed)

What it feeds (fuzzinputs.py builds each case from the case's own seed, derived from --seed and
the case's number): a valid input of one kind, then one to three mutations of it:
  config          xrootdrestart.yml (minimal, every key, or with the Prometheus features)
  inventory-yaml  hosts.yml (half of them two rotations: child groups with xrootdrestart_*
                  settings), inventory-ini hosts.ini, inventory-dir a directory inventory
                  (hosts.ini, group_vars/, host_vars/)
  legacy-ini      the Python tool's INI file, for migrate-config
  state, alerts, controls   state_dir/state.json, alerts.json, controls.json
  hooks           a pre_restart_tasks / post_restart_tasks task file
  cli             a valid config and a bad command line or XROOTDRESTART_* variable
Mutations: truncation, random and invalid UTF-8 bytes, NUL, BOM, CRLF, empty file, a directory or
a dangling symlink or a symlink loop instead of the file, a missing file, wrong types (scalar, list,
mapping), negative, zero and huge numbers, bad durations, ports, units, URLs, times, regexes,
unknown and mistyped keys, duplicate keys, YAML tags and an alias bomb (not in the files Ansible
reads: its loader expands one until the daemon's 120 s bound on ansible-inventory), deep nesting, future
`format` numbers, missing fields, bad options, values, arguments and variables.

Commands: check, settings, status and plan for configs and inventories (plan reads the servers'
health); migrate-config for the legacy file, then check of what it wrote; status, plan, run,
restart, resume, exclude and include for the state files.

The oracle, for every case:
  - the command ends within --timeout seconds (default 30);
  - exit 0, or exit 2 with a message on stderr that names the mutated file (and, when the only
    mutation changed one key of a YAML config or legacy file, that key and FILE:LINE; for a bad
    option or variable, its name, or FILE:LINE: KEY of a rule between keys that its value breaks,
    such as "block_on_alerts: needs prom_url"); `restart` exits 5 (held by the guard, see below)
    instead of 0; any other exit code fails (1 is "internal error", 3, 4 and 6 mean a restart was
    tried);
  - an input left valid (about 1 case in 20) must succeed (exit 0; restart: 5);
  - no "Exception", no "\\tat " (a stack trace line) and no "Caused by" in stdout or stderr (but
    Ansible's own message, quoted when it refuses a hook file, may say "Unexpected Exception");
  - migrate-config that succeeds wrote a config that `check` accepts;
  - never an action on a server: the lab's action logs (LAB_DIR/servers/*/actions.log, what
    `testing/lab/lab log all` prints) get no start, stop, restart, kill or reboot in any case, and
    no line at all when the command refused its input (exit 2) or is one that contacts no server
    (check, settings, status, migrate-config, pause, resume, exclude, include).

How run and restart are kept from restarting anything (the choice this harness makes): their
config sets block_on_alerts: "." and a prom_url where nothing listens (http://127.0.0.1:9); the
daemon counts a Prometheus it cannot ask as a firing alert, so the guard holds every restart. For
run and restart only the state files are mutated, never the config, and a command line given to
restart never carries --force, --block-on-alerts, --prom-url or --inventory* (nor their
variables). A restore of a restart "in flight" in a valid state.json starts only units that are not
active, and the lab's are. So `restart` ends with exit 5 (held) after a read-only health check when
it accepts its input, and `run` is stopped with SIGTERM once it has logged its first "next
restart:" line (or after 20 s) and must then exit 0; the signal goes to the JVM alone, as the
service's KillMode=mixed does, or in 1 case of 3 to the whole process group, as Ctrl-C does.
plan and run get --state-dir of the case on the command line, so a config mutated to lose its
state_dir never sends plan's run records to /var/lib/xrootdrestart; command-line cases run with
XROOTDRESTART_CONFIG set to the case's config, so a mutation that drops --config never reads a
config of this machine. Known bugs are matched by KNOWN_BUGS below.

The labs: one per job (LAB_DIR = CHAOS_DIR/lab-J, `testing/lab/lab up 2`), provisioned once with
playbooks/setup.yml (the daemon's account, key and sudo rule), so that each job's actions are told
apart; taken down with `lab down --purge` at the end unless --keep-lab (a kept lab is reused).

Environment: JAR (default <repo>/target/xrootdrestart.jar; a jar, or an executable launcher that
runs the command line, whose JVM options then go through JDK_JAVA_OPTIONS); CHAOS_DIR (default
/tmp/xrootdrestart-chaos-fuzz; its parent must be searchable by all, mode 0755). Each case runs in
CHAOS_DIR/cases/SEED; a failing case is kept in CHAOS_DIR/failed/SEED with case.txt (the command,
exit code, output and the problems found); CHAOS_DIR/cases.jsonl has one line per case (kind,
command, exit code, seconds, verdict, mutations). Known bugs (KNOWN_BUGS below) are reported by
name, and still fail the run. Exit code: 0 when every case passed, 1 otherwise (2: no lab, no jar).
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from . import fuzzinputs
from .fuzzinputs import Special

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "testing" / "lab" / "lab"
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]
MUTATING_VERBS = {"start", "stop", "restart", "kill", "reboot", "try-restart", "reload",
                  "enable", "disable", "reset-failed"}
NO_CONTACT = {"check", "settings", "status", "migrate-config", "config-template", "pause",
              "resume", "exclude", "include"}
FORBIDDEN_TEXT = ("Exception", "\tat ", "Caused by")
RUN_WAIT = 20  # s: how long `run` may take to log its first "next restart:" before SIGTERM
JAVA_NOTE = re.compile(r"^NOTE: Picked up JDK_JAVA_OPTIONS:.*\n?", re.M)

# Text that may contain FORBIDDEN_TEXT without being the daemon's: Ansible's own message, quoted
# by the daemon when ansible-playbook --syntax-check refuses a hook file, or when ansible-inventory
# cannot read an inventory (a !!binary value makes it say "ERROR! Unexpected Exception ...").
ALLOWED_TEXT = re.compile(r"ansible-playbook --syntax-check refuses .*|: Ansible cannot read it: .*")

# Known bugs: a failed case that one of these matches is reported as "known bug NAME" (it still
# fails the run), so that new failures stand out. NAME is the directory of the bug's reproduction.
# Each entry: (NAME, predicate on (CaseInput, Result)). Remove an entry once its bug is fixed.
KNOWN_BUGS = [
    # Found by this fuzzer and fixed since (the commits are in the closing notes of issue 15): 01 a
    # held restart took 30 s more; 02-04 migrate-config accepted a bad port, skipped the rules
    # between settings, accepted an unwritable log_file; 05 log_file's message named no line;
    # 06 restart_when's log showed an exception class; 07 Jackson's location text in state file
    # messages; 08 SIGTERM to the process group while a run started; 09 an internal error on a
    # 19-digit value; 10 a host-list inventory's message named no origin; 11 future formats read.
]


# --------------------------------------------------------------------------------------------
# The daemon's command line


class Java:
    """How to start the command line under test."""

    def __init__(self, jar, work):
        self.jar = str(jar)
        self.options = list(JVM_OPTIONS)
        self.launcher = not self.jar.endswith(".jar")
        self.try_class_data_sharing(work)

    def argv(self, args):
        if self.launcher:
            return [self.jar] + args
        return ["java"] + self.options + ["-jar", self.jar] + args

    def env(self):
        return {"JDK_JAVA_OPTIONS": " ".join(self.options)} if self.launcher else {}

    def try_class_data_sharing(self, work):
        """An AppCDS archive of the classes `check` loads saves about 0.2 s per start; used if it works."""
        archive = work / "classes.jsa"
        archive.unlink(missing_ok=True)
        dump = self.options + [f"-XX:ArchiveClassesAtExit={archive}"]
        env = dict(os.environ, **({"JDK_JAVA_OPTIONS": " ".join(dump)} if self.launcher else {}))
        argv = [self.jar] if self.launcher else ["java"] + dump + ["-jar", self.jar]
        subprocess.run(argv + ["config-template"], env=env, capture_output=True, timeout=120)
        if not archive.exists():
            return
        trial = self.options + [f"-XX:SharedArchiveFile={archive}"]
        env = dict(os.environ, **({"JDK_JAVA_OPTIONS": " ".join(trial)} if self.launcher else {}))
        argv = [self.jar] if self.launcher else ["java"] + trial + ["-jar", self.jar]
        r = subprocess.run(argv + ["--version"], env=env, capture_output=True, text=True, timeout=60)
        if r.returncode == 0 and "warning" not in JAVA_NOTE.sub("", r.stderr).lower():
            self.options = trial


# --------------------------------------------------------------------------------------------
# The labs


class Lab:
    """One lab of 2 servers, provisioned with setup.yml; its action logs tell this job's actions."""

    def __init__(self, work, number, java):
        self.dir = work / f"lab-{number}"
        self.prov = work / f"prov-{number}"
        self.java = java
        self.ips = {}
        self.metrics_port = free_port()

    def lab(self, *args, check=True):
        r = subprocess.run([str(LAB)] + list(args), env=dict(os.environ, LAB_DIR=str(self.dir)),
                           capture_output=True, text=True, timeout=600)
        if check and r.returncode != 0:
            raise SystemExit(f"testing/lab/lab {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r

    def up(self):
        ready = self.prov / "provisioned"
        if ready.exists() and self.lab("status", check=False).returncode == 0:
            self.read_env()
            return "reused"
        ready.unlink(missing_ok=True)
        self.lab("up", "2")
        self.read_env()
        self.provision()
        ready.write_text("setup.yml done\n")
        return "up"

    def read_env(self):
        for line in (self.dir / "lab.env").read_text().splitlines():
            m = re.match(r"LAB_IP_(lab\d+)=(\S+)", line)
            if m:
                self.ips[m.group(1)] = m.group(2)

    def provision(self):
        """setup.yml as README says: the daemon's account, key, sudo rule and host keys."""
        shutil.rmtree(self.prov, ignore_errors=True)
        self.prov.mkdir(parents=True)
        config = self.prov / "xrootdrestart.yml"
        config.write_text(
            f"cluster_id: chaos\ninventory: {self.dir}/inventory.yml\nstate_dir: {self.prov}/state\n"
            f"alert_url: \"\"\npushgw_url: \"\"\nmin_ok: 2\n")
        r = subprocess.run(
            ["ansible-playbook", "-i", str(self.dir / "inventory.yml"), str(REPO / "playbooks/setup.yml"),
             "-e", f"xrootdrestart_config={config}", "-e", f"xrootdrestart_jar={self.java.jar}"],
            env=dict(os.environ, ANSIBLE_CONFIG=str(self.dir / "ansible.cfg")),
            capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            raise SystemExit(f"setup.yml failed on {self.dir}:\n{r.stdout[-4000:]}{r.stderr[-2000:]}")

    def down(self):
        self.lab("down", "--purge", check=False)
        shutil.rmtree(self.prov, ignore_errors=True)

    def log_sizes(self):
        return {p: p.stat().st_size for p in sorted(self.dir.glob("servers/*/actions.log"))}

    def log_since(self, sizes):
        """The action log lines written since `sizes` was taken."""
        lines = []
        for p in sorted(self.dir.glob("servers/*/actions.log")):
            with open(p, "rb") as f:
                f.seek(sizes.get(p, 0))
                lines += f.read().decode("utf-8", "replace").splitlines()
        return lines

    def start_all_units(self):
        """After an action slipped through: put the lab back (both units active everywhere)."""
        for server in self.ips:
            for unit in ("xrootd@cluster", "cmsd@cluster"):
                self.lab("fault", server, unit, "clear", check=False)
                self.lab("ssh", server, "/usr/bin/systemctl", "start", unit, check=False)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# One case


class Result:
    def __init__(self):
        self.argv = []
        self.code = None
        self.out = ""
        self.err = ""
        self.seconds = 0.0
        self.timed_out = False
        self.actions = []
        self.problems = []
        self.check = None  # the check after migrate-config


def case_seed(seed, number):
    digest = hashlib.sha256(f"{seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def write_case(inp, case, lab):
    """Writes the case's files (lab addresses filled in), the daemon's key and known_hosts."""
    shutil.rmtree(case, ignore_errors=True)
    (case / "state").mkdir(parents=True)
    for name in ("xrootdrestartkey", "xrootdrestartkey.pub"):
        shutil.copy2(lab.prov / name, case / name)
    shutil.copy2(lab.prov / "state" / "known_hosts", case / "state" / "known_hosts")
    for rel, data in inp.files.items():
        path = case / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            continue
        if isinstance(data, Special):
            make_special(path, data)
            continue
        for name, ip in lab.ips.items():
            data = data.replace(f"@IP{name[3:]}@".encode(), ip.encode())
        path.write_bytes(data)


def make_special(path, special):
    if special.what == "dir":
        path.mkdir()
        (path / "inside").write_text("x\n")
    elif special.target == "loop-a":
        os.symlink("loop-a", path)
        os.symlink(path.name, path.parent / "loop-a")
    else:
        os.symlink(special.target, path)


def command_of(inp, case, lab):
    subst = {"{config}": str(case / "xrootdrestart.yml"), "{state}": str(case / "state"),
             "{case}": str(case)}
    argv = []
    for a in inp.command:
        for k, v in subst.items():
            a = a.replace(k, v)
        argv.append(a)
    if argv[0] == "run":
        argv += ["--metrics-port", str(lab.metrics_port)]
    return argv


def clean_env(extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("XROOTDRESTART_")}
    env.update(TZ="UTC", LC_ALL="C.UTF-8")
    env.update(extra)
    return env


def execute(java, argv, env, timeout, cwd, group_signal=False):
    """Runs a command; `run` is stopped with SIGTERM once it is in its loop (with group_signal,
    SIGTERM goes to its whole process group, its Ansible and other children too)."""
    r = Result()
    r.argv = argv
    start = time.monotonic()
    proc = subprocess.Popen(java.argv(argv), env=dict(env, **java.env()), cwd=cwd,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    out, err = [], []
    in_loop = threading.Event()
    readers = [threading.Thread(target=pump, args=(proc.stdout, out, None), daemon=True),
               threading.Thread(target=pump, args=(proc.stderr, err, in_loop), daemon=True)]
    for t in readers:
        t.start()
    deadline = start + timeout
    if argv[0] == "run":
        in_loop.wait(RUN_WAIT)
        if proc.poll() is None:
            # the service's way (KillMode=mixed: the JVM alone), or Ctrl-C's (the whole group)
            os.killpg(proc.pid, signal.SIGTERM) if group_signal else os.kill(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
    try:
        proc.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        r.timed_out = True
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    for t in readers:
        t.join(10)
    r.code = proc.returncode
    r.out = b"".join(out).decode("utf-8", "replace")
    r.err = JAVA_NOTE.sub("", b"".join(err).decode("utf-8", "replace"))
    r.seconds = time.monotonic() - start
    return r


LOOP_MARKERS = (b"next restart:", b"every server is excluded")


def pump(stream, sink, in_loop):
    for line in iter(stream.readline, b""):
        sink.append(line)
        if in_loop is not None and any(m in line for m in LOOP_MARKERS):
            in_loop.set()
    stream.close()


def run_case(seed, java, lab, work, timeout):
    """Builds, runs and judges one case; returns (CaseInput, Result)."""
    inp = fuzzinputs.build_case(seed)
    case = work / "cases" / str(seed)
    write_case(inp, case, lab)
    sizes = lab.log_sizes()
    env = dict(inp.env)
    if inp.kind == "cli":
        env.setdefault("XROOTDRESTART_CONFIG", str(case / "xrootdrestart.yml"))
    r = execute(java, command_of(inp, case, lab), clean_env(env), timeout, case, inp.group_signal)
    if inp.then_check and r.code == 0 and not r.timed_out:
        r.check = execute(java, ["check", "--config", str(case / "out" / "xrootdrestart.yml")],
                          clean_env({}), timeout, case)
    r.actions = lab.log_since(sizes)
    r.problems = judge(inp, r, case)
    if any(action_verb(a) in MUTATING_VERBS for a in r.actions):
        lab.start_all_units()
    return inp, r


# --------------------------------------------------------------------------------------------
# The oracle


def judge(inp, r, case):
    """What is wrong with this outcome: an empty list when the case passed."""
    problems = []
    command = r.argv[0]
    if r.timed_out:
        problems.append("hang: no exit within the timeout (killed)")
    output = ALLOWED_TEXT.sub("", r.out + r.err)
    for text in FORBIDDEN_TEXT:
        if text in output:
            problems.append(f"{text!r} in the output (a stack trace or an exception's name)")
    allowed = {2, 5} if command == "restart" else {0, 2}  # the guard holds every restart
    if {"--help", "-h", "-V", "--version"} & set(r.argv):
        allowed.add(0)
    if not r.timed_out and r.code not in allowed:
        problems.append(f"exit {r.code}: the README allows {sorted(allowed)} here")
    success = 5 if command == "restart" else 0
    refused_as_asked = r.code == 2 and any(words in r.err for words in inp.also_fine)  # e.g. no --force
    if inp.valid and inp.kind != "cli" and r.code != success and not r.timed_out and not refused_as_asked:
        problems.append(f"the input is valid, yet exit {r.code} (expected {success})")
    if r.code == 2:
        problems += judge_message(inp, r.err, case)
    problems += judge_actions(inp, r, command)
    if r.check is not None:
        c = r.check
        if c.timed_out or c.code != 0:
            problems.append(f"migrate-config succeeded, but check of what it wrote: exit {c.code}: "
                            f"{first_lines(c.err)}")
        if any(t in c.out or t in c.err for t in FORBIDDEN_TEXT):
            problems.append("check of migrate-config's output printed an exception")
    return problems


def judge_message(inp, err, case):
    """An exit 2 names the file (and line and key where known), or the option or variable."""
    problems = []
    if not err.strip():
        return ["exit 2 without a message on stderr"]
    if any(words in err for words in inp.also_fine):
        return []
    if inp.target is not None:
        path = str(case / inp.target)
        if path not in err:
            problems.append(f"exit 2, but the message does not name {path}")
        elif inp.expect_line and not re.search(re.escape(path) + r":\d+", err):
            problems.append(f"exit 2, but the message gives no line ({path}:LINE)")
        if inp.expect_key and inp.expect_key not in err:
            problems.append(f"exit 2, but the message does not name the key {inp.expect_key}")
    cross_key_rule = re.search(r"/\S+:\d+: \w+: ", err)  # e.g. "block_on_alerts: needs prom_url"
    for words in inp.expect_words:
        if not any(w in err for w in words.split("|")) and not cross_key_rule:
            problems.append(f"exit 2, but the message does not name {words.replace('|', ' or ')}")
    return problems


def action_verb(line):
    fields = line.split()
    return fields[2] if len(fields) >= 3 else ""


def judge_actions(inp, r, command):
    mutating = [a for a in r.actions if action_verb(a) in MUTATING_VERBS]
    if mutating:
        return [f"ACTION ON A SERVER: {'; '.join(mutating[:4])}"]
    if r.actions and not r.timed_out and (r.code not in (0, 5) or command in NO_CONTACT):
        return [f"contacted a server ({len(r.actions)} systemctl calls, e.g. {r.actions[0]}) "
                f"although it {'refused its input' if r.code == 2 else 'should contact none'}"]
    return []


def known_bug(inp, r):
    for name, matches in KNOWN_BUGS:
        if matches(inp, r):
            return name
    return None


def outcome(inp, r):
    if r.problems:
        bug = known_bug(inp, r)
        return f"known bug {bug}" if bug else "FAIL"
    return {0: "ok", 2: "refused (exit 2)", 5: "held (exit 5)"}.get(r.code, f"exit {r.code}")


# --------------------------------------------------------------------------------------------
# Reporting


def first_lines(text, n=3):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return " | ".join(lines[:n])[:400] or "(nothing)"


def describe(seed, inp, r, case):
    """The whole story of one case, for case.txt and --case."""
    parts = [
        f"seed:      {seed}   (rerun: testing/chaos fuzz --case {seed})",
        f"kind:      {inp.kind}" + ("   (valid input)" if inp.valid else ""),
        f"mutations: {'; '.join(inp.mutations) or '(none)'}",
        f"input:     {case / inp.target if inp.target else '(the command line)'}",
        f"command:   {' '.join(shell_quote(a) for a in r.argv)}",
    ]
    if r.argv[:1] == ["run"]:
        parts.append("signal:    SIGTERM to the " + ("process group (as Ctrl-C)" if inp.group_signal else
                                                     "JVM alone (as the service's KillMode=mixed)"))
    if inp.env:
        parts.append(f"env:       {' '.join(f'{k}={shell_quote(v)}' for k, v in inp.env.items())}")
    parts += [f"exit:      {'TIMEOUT' if r.timed_out else r.code} after {r.seconds:.1f} s",
              f"problems:  {'; '.join(r.problems) or 'none'}",
              "--- stdout", r.out.rstrip()[:20000], "--- stderr", r.err.rstrip()[:20000]]
    if r.check is not None:
        parts += [f"--- then: check --config {case}/out/xrootdrestart.yml: exit {r.check.code}",
                  r.check.out.rstrip()[:4000], r.check.err.rstrip()[:4000]]
    parts += ["--- lab action log lines during the case", "\n".join(r.actions) or "(none)"]
    return "\n".join(parts) + "\n"


def shell_quote(a):
    return a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'" + a.replace("'", "'\\''") + "'"


def show_input(inp, case):
    if inp.target is None:
        return
    path = case / inp.target
    print(f"--- input {path}")
    if path.is_symlink():
        print(f"(symlink to {os.readlink(path)})")
    elif path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file():
                print(f"## {p}\n{p.read_bytes()[:1500]!r}")
    elif path.exists():
        data = path.read_bytes()
        try:
            print(data[:3000].decode("utf-8"))
        except UnicodeDecodeError:
            print(repr(data[:3000]))
        if len(data) > 3000:
            print(f"... ({len(data)} bytes)")
    else:
        print("(missing)")


def summary(results, seconds, jobs):
    by_kind = defaultdict(Counter)
    for seed, inp, r, verdict in results:
        by_kind[inp.kind][verdict.split(" ", 2)[0] + " bug" if verdict.startswith("known") else verdict] += 1
    verdicts = sorted({v for c in by_kind.values() for v in c})
    print(f"\n{len(results)} cases in {seconds:.0f} s ({jobs} at a time)")
    width = max(len(v) for v in verdicts + ["kind"]) + 2
    print("kind".ljust(16) + "".join(v.rjust(width) for v in verdicts))
    for kind in sorted(by_kind):
        print(kind.ljust(16) + "".join(str(by_kind[kind][v]).rjust(width) for v in verdicts))
    times = defaultdict(list)
    for _, _, r, _ in results:
        times[r.argv[0]].append(r.seconds + (r.check.seconds if r.check else 0))
    print("commands (cases, mean seconds): " + ", ".join(
        f"{c} {len(t)} {sum(t) / len(t):.1f}" for c, t in sorted(times.items(), key=lambda x: -len(x[1]))))
    failed = [(s, i, r, v) for s, i, r, v in results if v != "ok" and r.problems]
    print(f"{len(failed)} failed")
    for seed, inp, r, verdict in failed:
        print(f"  {seed}  {inp.kind:15} {verdict:12} {r.argv[0]:15} exit "
              f"{'TIMEOUT' if r.timed_out else r.code}: {r.problems[0][:150]}")
    return len(failed)


# --------------------------------------------------------------------------------------------
# Main


def parse(argv):
    p = argparse.ArgumentParser(prog="testing/chaos fuzz", description=__doc__.split("\n")[0])
    p.add_argument("--cases", type=int, default=300, help="how many cases (default 300)")
    p.add_argument("--seed", type=int, default=20261202, help="seed of the whole run")
    p.add_argument("--case", type=int, metavar="SEED", help="rerun one case (by its own seed), verbosely")
    p.add_argument("--jobs", type=int, default=2, help="cases at a time, one lab each (default 2)")
    p.add_argument("--timeout", type=float, default=30, help="seconds per command (default 30)")
    p.add_argument("--keep-lab", action="store_true", help="leave the labs up (a later run reuses them)")
    return p.parse_args(argv)


def main(argv):
    args = parse(argv)
    if os.geteuid() != 0:
        print("testing/chaos fuzz: needs root (the lab uses network namespaces)", file=sys.stderr)
        return 2
    work = Path(os.environ.get("CHAOS_DIR", "/tmp/xrootdrestart-chaos-fuzz"))
    work.mkdir(parents=True, exist_ok=True)
    os.chmod(work, 0o755)
    jar = Path(os.environ.get("JAR", REPO / "target" / "xrootdrestart.jar"))
    if not jar.exists():
        print(f"testing/chaos fuzz: no {jar} (build it: mvn -B -ntp package -DskipTests, or set JAR)",
              file=sys.stderr)
        return 2
    java = Java(jar, work)
    jobs = 1 if args.case is not None else max(1, args.jobs)
    labs = [Lab(work, n, java) for n in range(jobs)]
    started = time.monotonic()
    try:
        try:
            bring_up(labs)
        except SystemExit as e:
            print(e.code, file=sys.stderr)
            return 2
        print(f"fuzz: {jobs} lab(s) ready in {time.monotonic() - started:.0f} s; JVM options "
              f"{' '.join(java.options)}", flush=True)
        if args.case is not None:
            return one_case(args.case, java, labs[0], work, args.timeout)
        return many_cases(args, java, labs, work)
    finally:
        if not args.keep_lab:
            for lab in labs:
                lab.down()


def bring_up(labs):
    errors = []

    def up(lab):
        try:
            print(f"fuzz: lab {lab.dir}: {lab.up()}", flush=True)
        except BaseException as e:  # SystemExit from a lab command: report it after the others
            errors.append(str(e))

    threads = [threading.Thread(target=up, args=(lab,)) for lab in labs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit("testing/chaos fuzz: a lab did not come up:\n" + "\n".join(errors))


def one_case(seed, java, lab, work, timeout):
    inp, r = run_case(seed, java, lab, work, timeout)
    case = work / "cases" / str(seed)
    show_input(inp, case)
    print(describe(seed, inp, r, case))
    print(f"verdict: {outcome(inp, r)}   (files kept in {case})")
    return 1 if r.problems else 0


def many_cases(args, java, labs, work):
    seeds = [case_seed(args.seed, n) for n in range(args.cases)]
    print(f"fuzz: {args.cases} cases, seed {args.seed}", flush=True)
    shutil.rmtree(work / "cases", ignore_errors=True)
    shutil.rmtree(work / "failed", ignore_errors=True)
    (work / "cases.jsonl").unlink(missing_ok=True)
    results = []
    lock = threading.Lock()
    queue = list(enumerate(seeds))
    started = time.monotonic()

    def worker(lab):
        while True:
            with lock:
                if not queue:
                    return
                number, seed = queue.pop(0)
            try:
                inp, r = run_case(seed, java, lab, work, args.timeout)
            except Exception as e:  # the harness's own bug: report the case, go on
                inp, r = fuzzinputs.CaseInput("(harness)"), Result()
                r.argv, r.problems = ["(harness)"], [f"harness error: {e!r}"]
            with lock:
                verdict = outcome(inp, r)
                results.append((seed, inp, r, verdict))
                report(number, seed, inp, r, verdict, work)

    baseline = [lab.log_sizes() for lab in labs]
    threads = [threading.Thread(target=worker, args=(lab,)) for lab in labs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    failed = summary(results, time.monotonic() - started, len(labs))
    leftovers = lingering_actions(labs, baseline)
    if leftovers:
        print("ACTION ON A SERVER outside any case: " + "; ".join(leftovers[:5]))
    if failed or leftovers:
        print(f"kept: {work / 'failed'}/SEED/case.txt; rerun one: testing/chaos fuzz --case SEED")
        return 1
    print("all passed")
    return 0


def report(number, seed, inp, r, verdict, work):
    record = {"number": number, "seed": seed, "kind": inp.kind, "command": r.argv[:1], "exit": r.code,
              "timed_out": r.timed_out, "seconds": round(r.seconds, 2), "verdict": verdict,
              "mutations": inp.mutations, "problems": r.problems}
    with open(work / "cases.jsonl", "a") as f:
        f.write(json.dumps(record) + "\n")
    case = work / "cases" / str(seed)
    if r.problems:
        kept = work / "failed" / str(seed)
        kept.parent.mkdir(parents=True, exist_ok=True)
        if case.exists():
            shutil.rmtree(kept, ignore_errors=True)
            case.rename(kept)
        kept.mkdir(parents=True, exist_ok=True)
        (kept / "case.txt").write_text(describe(seed, inp, r, kept))
        print(f"[{number + 1}] {seed} {inp.kind} {verdict}: {' '.join(r.argv)[:200]}\n"
              f"    exit {'TIMEOUT' if r.timed_out else r.code}; {'; '.join(r.problems)[:400]}\n"
              f"    mutations: {'; '.join(inp.mutations)[:300]}\n"
              f"    stderr: {first_lines(r.err)}\n"
              f"    kept: {kept}", flush=True)
    else:
        shutil.rmtree(case, ignore_errors=True)
        if (number + 1) % 50 == 0:
            print(f"[{number + 1}] ...", flush=True)


def lingering_actions(labs, baseline):
    """Any unit change by the daemon's account during the run: also what ran on after its case."""
    found = []
    for lab, sizes in zip(labs, baseline):
        for line in lab.log_since(sizes):
            if action_verb(line) in MUTATING_VERBS and "xrootdrestart" in line.split()[-1:]:
                found.append(line)
    return found
