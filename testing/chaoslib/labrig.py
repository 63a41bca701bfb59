"""The rig of testing/chaos run: the lab, Alertmanager behind a recording proxy, the state directory on
its own tmpfs, the daemon under a supervisor, and a poller of the state file.

Everything here is a witness or a lever the daemon does not control:

- Lab: testing/lab/lab (faults, unreachable, unit states) and the servers' action logs, read straight
  from LAB_DIR/servers/NAME/actions.log (one line per systemctl call, written by the shim when the call
  returns: TIME_MS SERVER VERB UNITS RC USER).
- Alertmanager: Debian's /usr/bin/prometheus-alertmanager on a loopback port, and in front of it a
  small HTTP proxy on another loopback port (the daemon's alert_url) that records every POST to
  /api/v2/alerts with Alertmanager's answer. "Alertmanager down" stops both: the daemon then meets a
  refused connection, as with a dead Alertmanager.
- StateDir: state_dir is a tmpfs of its own, so that the harness can remount it read-only (root too
  is refused then) or fill it up.
- StatePoller: reads state.json whenever its inode, size or mtime changes (checked every 10 ms) and
  keeps each version with its mtime (set by the kernel when the daemon wrote it).
- Daemon: `java ... -jar xrootdrestart.jar run --config FILE`, as the launcher runs it, under a
  supervisor that restarts it like the service unit does (Restart=on-failure, not on exit 2:
  RestartPreventExitStatus=2), after RESTART_SEC instead of the unit's 30 s.
"""

import http.client
import http.server
import json
import os
import signal
import socket
import subprocess
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LAB_SCRIPT = os.path.join(REPO, "testing", "lab", "lab")
ALERTMANAGER = "/usr/bin/prometheus-alertmanager"
UNITS = ("cmsd@cluster", "xrootd@cluster")
RESTART_SEC = 1.0  # the supervisor's RestartSec (the unit's is 30 s; scenarios last seconds)


def now_ms():
    return int(time.time() * 1000)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def say(msg):
    print(time.strftime("%H:%M:%S") + " chaos: " + msg, flush=True)


# ------------------------------------------------------------------------------------------ lab


class Call:
    """One systemctl invocation from a server's action log."""

    __slots__ = ("t", "server", "verb", "unit", "rc", "user", "line")

    def __init__(self, line):
        f = line.split()
        self.t = int(f[0]) / 1000.0
        self.server = f[1]
        self.verb = f[2]
        self.unit = f[3]
        self.rc = int(f[4])
        self.user = f[5]
        self.line = line.rstrip("\n")

    @property
    def daemon(self):
        return self.user == "xrootdrestart"

    def __repr__(self):
        return self.line


class Lab:
    def __init__(self, lab_dir, servers, xrootd=False):
        self.dir = lab_dir
        self.n = servers
        self.xrootd = xrootd
        self.names = ["lab%d" % i for i in range(1, servers + 1)]
        self.paths = {}

    def lab(self, *args, check=True, timeout=600):
        env = dict(os.environ, LAB_DIR=self.dir)
        p = subprocess.run([LAB_SCRIPT] + list(args), env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError("lab %s failed (%d):\n%s" % (" ".join(args), p.returncode, p.stdout))
        return p

    def up(self):
        args = ["up", str(self.n)] + (["--xrootd"] if self.xrootd else [])
        p = self.lab(*args, check=False, timeout=900)
        if p.returncode != 0:
            self.lab("down", check=False)
            raise RuntimeError("the lab did not come up (testing/lab/lab %s needs root, iproute2, "
                               "openssh-server and sudo; testing/install-deps installs them):\n%s"
                               % (" ".join(args), p.stdout))
        for line in p.stdout.splitlines():
            k, _, v = line.partition("=")
            if v.startswith("/"):
                self.paths[k.strip()] = v.strip()

    def down(self, purge):
        self.lab(*(["down", "--purge"] if purge else ["down"]), check=False)

    def fault(self, server, unit, *kind):
        self.lab("fault", server, unit, *[str(k) for k in kind])

    def unreachable(self, server, on):
        self.lab("unreachable", server, "on" if on else "off")

    def systemctl(self, server, verb, unit):
        """systemctl VERB UNIT as root on the server itself (in its namespaces, not over the network,
        so that it works while the server is unreachable); logged with user root."""
        with open(os.path.join(self.dir, "servers", server, "holder.pid")) as f:
            pid = f.read().strip()
        return subprocess.run(["nsenter", "-t", pid, "-m", "-u", "-n", "/usr/bin/systemctl", verb, unit],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120)

    def log_file(self, server):
        return os.path.join(self.dir, "servers", server, "actions.log")

    def calls(self, servers=None):
        """Every logged systemctl call of these servers (default all), sorted by time."""
        out = []
        for s in servers or self.names:
            try:
                with open(self.log_file(s)) as f:
                    for line in f:
                        if len(line.split()) == 6:
                            out.append(Call(line))
            except FileNotFoundError:
                pass
        out.sort(key=lambda c: c.t)
        return out

    def states(self):
        """{server: {unit: state}} and {server: reachable} from `lab status`."""
        p = self.lab("status", check=False)
        states, reach = {}, {}
        for line in p.stdout.splitlines():
            f = line.split()
            if f and f[0] in self.names:
                states[f[0]] = dict(x.split("=", 1) for x in f if "=" in x)
                reach[f[0]] = "reachable" in f
        return states, reach

    def reset(self, servers=None):
        """No fault, reachable, both units active, empty action logs."""
        for s in servers or self.names:
            self.unreachable(s, False)
            for u in UNITS:
                self.fault(s, u, "clear")
        states, _ = self.states()
        for s in servers or self.names:
            for u in UNITS:
                if states.get(s, {}).get(u) != "active":
                    self.systemctl(s, "start", u)
        for s in servers or self.names:
            self.lab("log", s, "--clear")


# ------------------------------------------------------------------- Alertmanager and the proxy

AM_CONFIG = """\
# written by testing/chaoslib/labrig.py: every alert to a receiver that sends nothing
route:
  receiver: "null"
  group_by: [alertname, cluster, node]
receivers:
  - name: "null"
"""


class Post:
    __slots__ = ("t", "alerts", "status")

    def __init__(self, t, alerts, status):
        self.t = t
        self.alerts = alerts
        self.status = status  # Alertmanager's HTTP status, or 0: it could not be reached


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self, method):
        rig = self.server.rig
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        t = time.time()
        status, data, ctype = 502, b"alertmanager unreachable\n", "text/plain"
        try:
            c = http.client.HTTPConnection("127.0.0.1", rig.am_port, timeout=10)
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() in ("content-type", "accept", "authorization")}
            c.request(method, self.path, body=body, headers=headers)
            r = c.getresponse()
            status, data = r.status, r.read()
            ctype = r.getheader("Content-Type") or "application/json"
            c.close()
        except OSError:
            status = 0
        if method == "POST" and self.path.rstrip("/").endswith("/api/v2/alerts"):
            try:
                alerts = json.loads(body or b"[]")
            except ValueError:
                alerts = []
            with rig.lock:
                rig.posts.append(Post(t, alerts, status))
        self.send_response(status or 502)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._forward("GET")

    def do_POST(self):
        self._forward("POST")

    def do_DELETE(self):
        self._forward("DELETE")


class Alertmanager:
    """The real Alertmanager, and the recording proxy the daemon posts to."""

    def __init__(self, work_dir):
        self.dir = work_dir
        self.am_port = free_port()
        self.port = free_port()
        self.proc = None
        self.httpd = None
        self.thread = None
        self.lock = threading.Lock()
        self.posts = []
        os.makedirs(os.path.join(work_dir, "data"), exist_ok=True)
        with open(os.path.join(work_dir, "alertmanager.yml"), "w") as f:
            f.write(AM_CONFIG)

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def up(self):
        return self.proc is not None

    def ensure_up(self):
        """Started again if it died behind the harness's back (the proxy too)."""
        if self.proc is not None and self.proc.poll() is not None:
            self.stop()
        if self.proc is None:
            self.start()

    def start(self):
        if not os.access(ALERTMANAGER, os.X_OK):
            raise RuntimeError(ALERTMANAGER + " is missing (apt-get install prometheus-alertmanager)")
        log = open(os.path.join(self.dir, "alertmanager.log"), "a")
        self.proc = subprocess.Popen(
            [ALERTMANAGER, "--config.file=" + os.path.join(self.dir, "alertmanager.yml"),
             "--storage.path=" + os.path.join(self.dir, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.am_port, "--cluster.listen-address="],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.am_port, timeout=1)
                c.request("GET", "/-/ready")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("alertmanager exited; see " + self.dir + "/alertmanager.log")
            time.sleep(0.1)
        else:
            raise RuntimeError("alertmanager not ready in 30 s; see " + self.dir + "/alertmanager.log")
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), _ProxyHandler)
        self.httpd.daemon_threads = True
        self.httpd.rig = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None

    def alerts(self):
        """Alertmanager's own list (/api/v2/alerts), straight from it, not through the proxy."""
        c = http.client.HTTPConnection("127.0.0.1", self.am_port, timeout=10)
        c.request("GET", "/api/v2/alerts")
        r = c.getresponse()
        return json.loads(r.read())

    def take_posts(self):
        with self.lock:
            p, self.posts = self.posts, []
        return p


# -------------------------------------------------------------------------- the state directory


class StateDir:
    """state_dir on a tmpfs of its own: read-only and full are a remount and a file away."""

    SIZE = "48m"

    def __init__(self, path):
        self.path = path
        self.fill_file = os.path.join(path, "chaos-fill")

    def mount(self):
        os.makedirs(self.path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s,mode=0750" % self.SIZE, "tmpfs", self.path],
                       check=True)

    def umount(self):
        for _ in range(40):
            if not os.path.ismount(self.path):
                return
            if subprocess.run(["umount", self.path], stderr=subprocess.DEVNULL).returncode != 0:
                time.sleep(0.25)
                subprocess.run(["umount", "-l", self.path], stderr=subprocess.DEVNULL)

    def read_only(self, on):
        """A read-only bind mount over the directory (a remount of the tmpfs itself is refused while
        the daemon holds its lock file open for writing); writable again: that bind made rw."""
        if on:
            subprocess.run(["mount", "--bind", self.path, self.path], check=True)
            subprocess.run(["mount", "-o", "remount,bind,ro", self.path], check=True)
            self.ro = True
        elif getattr(self, "ro", False):
            subprocess.run(["mount", "-o", "remount,bind,rw", self.path], check=True)
            self.ro = False

    def full(self, on):
        if on:
            # fill every block; the daemon's next write fails with ENOSPC
            subprocess.run(["dd", "if=/dev/zero", "of=" + self.fill_file, "bs=1M"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            subprocess.run(["dd", "if=/dev/zero", "of=" + self.fill_file + "2", "bs=4k"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        else:
            for f in (self.fill_file, self.fill_file + "2"):
                try:
                    os.unlink(f)
                except FileNotFoundError:
                    pass


# ---------------------------------------------------------------------------- the state poller


class StateVersion:
    __slots__ = ("seen", "mtime", "state")

    def __init__(self, seen, mtime, state):
        self.seen = seen  # when the poller read it
        self.mtime = mtime  # when the daemon wrote it (the kernel's mtime)
        self.state = state

    def in_flight(self):
        f = (self.state or {}).get("in_flight")
        return f.get("server") if isinstance(f, dict) else None

    def server(self, name):
        return ((self.state or {}).get("servers") or {}).get(name) or {}

    def last_slot(self):
        return (self.state or {}).get("last_slot")


class StatePoller(threading.Thread):
    PERIOD = 0.01

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.versions = []
        self.polls = []  # (time, index of the version current at that poll), at most one a 50 ms
        self.gaps = []  # (from, to) of polls more than 0.3 s apart
        self.stopping = False
        self.lock = threading.Lock()

    def run(self):
        key = None
        last = time.time()
        last_rec = 0
        while not self.stopping:
            t = time.time()
            if t - last > 0.3:
                self.gaps.append((last, t))
            last = t
            try:
                st = os.stat(self.path)
                k = (st.st_ino, st.st_size, st.st_mtime_ns)
                if k != key:
                    with open(self.path, "rb") as f:
                        data = f.read()
                    st2 = os.stat(self.path)
                    if (st2.st_ino, st2.st_size, st2.st_mtime_ns) == k:
                        try:
                            state = json.loads(data)
                        except ValueError:
                            state = None
                        if state is not None:
                            with self.lock:
                                self.versions.append(StateVersion(t, st.st_mtime_ns / 1e9, state))
                            key = k
            except FileNotFoundError:
                pass
            except OSError:
                pass
            if t - last_rec >= 0.05:
                with self.lock:
                    self.polls.append((t, len(self.versions) - 1))
                last_rec = t
            time.sleep(self.PERIOD)

    def latest(self):
        with self.lock:
            return self.versions[-1] if self.versions else None


# ------------------------------------------------------------------------------------ the daemon


class Daemon:
    """The daemon under a supervisor that restarts it like the service unit (not after exit 2)."""

    def __init__(self, java_cmd, config, log_path, env=None):
        self.cmd = java_cmd + ["run", "--config", config]
        self.env = env
        self.log_path = log_path
        self.proc = None
        self.want = False
        self.events = []  # (time, what, detail): start, exit rc, kill, term, gave-up
        self.lock = threading.Lock()
        self.sup = None
        self.expect_exit = False

    def _spawn(self):
        log = open(self.log_path, "a")
        log.write("---- chaos: daemon started at %.3f\n" % time.time())
        log.flush()
        self.proc = subprocess.Popen(self.cmd, stdout=log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True, env=self.env)
        log.close()
        self.events.append((time.time(), "start", self.proc.pid))

    def start(self):
        with self.lock:
            self.want = True
            if self.proc is None or self.proc.poll() is not None:
                self._spawn()
        if self.sup is None:
            self.sup = threading.Thread(target=self._supervise, daemon=True)
            self.sup.start()

    def _supervise(self):
        while True:
            time.sleep(0.1)
            with self.lock:
                p = self.proc
                if p is None or p.poll() is None:
                    continue
                if not self.want:
                    continue
                rc = p.returncode
                if not any(e[1] == "exit" and e[2] == p.pid for e in self.events):
                    self.events.append((time.time(), "exit", p.pid, rc))
                if rc == 2 or (rc == 0 and not self.expect_exit):
                    # RestartPreventExitStatus=2; exit 0 is not a failure either
                    self.events.append((time.time(), "gave-up", p.pid, rc))
                    self.want = False
                    continue
            time.sleep(RESTART_SEC)
            with self.lock:
                if self.want and (self.proc is None or self.proc.poll() is not None):
                    self._spawn()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def sigkill(self):
        with self.lock:
            self.want = False
            if self.alive():
                self.events.append((time.time(), "kill", self.proc.pid))
                self.proc.kill()
                self.proc.wait()
                self.events.append((time.time(), "exit", self.proc.pid, self.proc.returncode))

    def sigterm(self, timeout):
        """SIGTERM; waits for the exit; its code, or None if it did not exit in time (then SIGKILL)."""
        with self.lock:
            self.want = False
            if not self.alive():
                return "not running"
            p = self.proc
            self.events.append((time.time(), "term", p.pid))
            p.terminate()
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            self.events.append((time.time(), "exit", p.pid, p.returncode))
            return None
        self.events.append((time.time(), "exit", p.pid, rc))
        return rc

    def lifecycle_times(self):
        return [e[0] for e in self.events if e[1] in ("kill", "term", "exit")]
