"""The inputs of testing/chaos fuzz: valid ones, and ways to break them.

Each case builds one valid input (a config file, an inventory, a legacy INI file, state.json,
alerts.json, controls.json, a hook task file, or a command line), then applies one to three
mutations drawn from the case's own random generator. Everything here is pure: files are returned
as bytes keyed by their path inside the case directory; fuzz.py writes them and runs the daemon.

Lab addresses are written as the placeholders @IP1@ and @IP2@ and filled in only after the
mutations, so the bytes a seed produces do not depend on which lab runs the case.
"""

import json
import random

import yaml

SERVERS = ("lab1", "lab2")

# --------------------------------------------------------------------------------------------
# A case's input


class Special:
    """A file that is not a regular file: a directory, or a symlink to `target`."""

    def __init__(self, what, target=""):
        self.what = what  # "dir" or "symlink"
        self.target = target

    def __repr__(self):
        return f"<{self.what} {self.target}>".replace(" >", ">")


class CaseInput:
    """What one case writes and runs.

    files: path in the case directory -> bytes, or a Special.
    target: the file the mutations went to (the one an exit 2 must name); None for the command line.
    command: the xrootdrestart command and its arguments; "{config}" stands for the config file.
    env: extra environment variables.
    expect_key: a key that an exit 2 must also name (set when the only mutation changed its value).
    expect_line: whether an exit 2 must give a line number (FILE:LINE).
    expect_words: other words an exit 2 must contain (an option or variable name).
    valid: True when no mutation was applied: the command must then succeed.
    """

    def __init__(self, kind):
        self.kind = kind
        self.files = {}
        self.target = None
        self.command = []
        self.env = {}
        self.expect_key = None
        self.expect_line = False
        self.expect_words = []
        self.valid = True
        self.mutations = []
        self.then_check = False  # migrate-config: also check what it wrote
        self.group_signal = False  # run: SIGTERM to the whole process group (Ctrl-C), not the JVM alone
        self.also_fine = []  # an exit 2 whose message has one of these is right too


# --------------------------------------------------------------------------------------------
# Valid inputs

FULL_CONFIG = {
    "state_dir": "state",
    "cluster_id": "chaos",
    "inventory": "hosts.yml",
    "inventory_group": "xrootd_servers",
    "min_ok": 1,
    "cmsd_period": "3d",
    "cmsd_wait": "1s",
    "service_timeout": 10,
    "connect_timeout": 5,
    "log_level": "INFO",
    "log_file": "",
    "metrics_port": 18999,
    "metrics_bind": "127.0.0.1",
    "metrics_method": "PULL",
    "external_url": "",
    "alert_url": "",
    "silence_matchers": "",
    "alert_resend": 60,
    "alert_user": "",
    "alert_password_file": "",
    "alert_token_file": "",
    "pushgw_url": "",
    "prom_url": "",
    "ssh_user": "xrootdrestart",
    "pkey_name": "xrootdrestartkey",
    "cmsd_svc": "cmsd@cluster",
    "xrootd_svc": "xrootd@cluster",
    "health_check": "systemd",
    "health_max_age": 0,
    "xrootd_port": 1094,
    "verify_timeout": 30,
    "start_order": "cmsd_first",
    "drain_until_idle": True,
    "run_retention": 1000,
    "window_days": "Mon-Sun",
    "window_start": "00:00",
    "window_end": "23:59",
    "window_timezone": "UTC",
    "block_on_alerts": "",
    "remedial_per_day": 2,
    "restart_when": "",
    "restart_when_label": "instance",
    "escalate_reboot": False,
}

MINIMAL_KEYS = ("state_dir", "cluster_id", "inventory", "min_ok", "alert_url", "pushgw_url")

PROMETHEUS_EXTRA = {
    "prom_url": "http://127.0.0.1:9",
    "block_on_alerts": "^(DiskFull|NodeDown)$",
    "restart_when": 'up{job="xrootd"} == 0',
    "alert_url": "http://127.0.0.1:9",
    "silence_matchers": ['instance=~"{node}(:[0-9]+)?"', 'job="xrootd"'],
    "alert_resend": "2m",
}


# With these the guard holds every restart: Prometheus cannot be asked (nothing listens on port 9 of
# loopback), and the daemon then counts that as a firing alert that matches block_on_alerts.
GUARD_HOLDS = {"prom_url": "http://127.0.0.1:9", "block_on_alerts": "."}


def config_dict(rng, inventory="hosts.yml", guarded=False):
    """One of three valid configs: minimal, every key, or every key with Prometheus features.

    guarded: for the commands that could restart a server (run, restart): the guard always holds.
    """
    flavour = rng.choice(["minimal", "full", "prometheus"])
    if flavour == "minimal":
        cfg = {k: FULL_CONFIG[k] for k in MINIMAL_KEYS}
    else:
        cfg = dict(FULL_CONFIG)
        if flavour == "prometheus":
            cfg.update(PROMETHEUS_EXTRA)
    cfg["inventory"] = inventory
    if guarded:
        cfg.update(GUARD_HOLDS)
    return cfg


def dump_yaml(data):
    return yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=4096
    ).encode("utf-8", "surrogatepass")


INVENTORY_YAML = {
    "all": {
        "children": {
            "xrootd_servers": {
                "vars": {"ansible_python_interpreter": "/usr/bin/python3"},
                "hosts": {
                    "lab1": {"ansible_host": "@IP1@"},
                    "lab2": {
                        "ansible_host": "@IP2@",
                        "cmsd_svc": "cmsd@cluster",
                        "xrootd_svc": "xrootd@cluster",
                        "xrootd_port": 1094,
                    },
                },
            },
            "xrootd_redirectors": {"hosts": {"rdr": {"ansible_host": "192.0.2.250"}}},
        }
    }
}

# The same two servers as two rotations (child groups), with settings of their own (issue 14).
INVENTORY_ROTATIONS_YAML = {
    "all": {
        "children": {
            "xrootd_servers": {
                "vars": {"ansible_python_interpreter": "/usr/bin/python3", "xrootdrestart_min_ok": 0},
                "children": {
                    "east": {
                        "vars": {
                            "xrootdrestart_cmsd_period": "3d",
                            "xrootdrestart_window_days": "Mon-Fri",
                            "xrootdrestart_window_start": "06:00",
                            "xrootdrestart_window_end": "18:00",
                            "xrootdrestart_window_timezone": "Europe/Zurich",
                        },
                        "hosts": {"lab1": {"ansible_host": "@IP1@"}},
                    },
                    "west": {
                        "vars": {"xrootdrestart_cmsd_wait": 30, "xrootdrestart_min_ok": 0},
                        "hosts": {"lab2": {"ansible_host": "@IP2@", "cmsd_svc": "cmsd@cluster"}},
                    },
                },
            },
        }
    }
}

INVENTORY_INI = """\
# the lab's servers, in restart order
[xrootd_servers]
lab1 ansible_host=@IP1@
lab2 ansible_host=@IP2@ cmsd_svc=cmsd@cluster xrootd_svc=xrootd@cluster

[xrootd_servers:vars]
ansible_python_interpreter=/usr/bin/python3

[xrootd_redirectors]
rdr ansible_host=192.0.2.250
"""

# Ansible skips *.ini files in an inventory directory (INVENTORY_IGNORE_EXTS): "hosts", no extension.
INVENTORY_DIR = {
    "inventory/hosts": """\
[xrootd_servers]
lab1 ansible_host=@IP1@
lab2 ansible_host=@IP2@
""",
    "inventory/group_vars/xrootd_servers.yml": """\
ansible_python_interpreter: /usr/bin/python3
cmsd_svc: cmsd@cluster
""",
    "inventory/host_vars/lab2.yml": """\
xrootd_svc: xrootd@cluster
xrootd_port: 1094
""",
}

# The Python tool's file, as src/test/resources/legacy/xrootdrestart.conf has it, plus its other keys.
LEGACY_INI = """\
# Configuration of the Python XRootDRestart tool, as a site runs it.
[general]
cluster_id = atlas-t2
cmsd_period = 259200
cmsd_wait = 600
service_timeout = 120
connect_timeout = 10
min_ok = 2
log_level = WARNING
log_file = /var/log/xrootdrestart.log
metrics_port = 8000
metrics_method = PUSH
alert_url = http://alertmanager.example.org:9093
alert_resend = 60
pushgw_url = http://pushgw.example.org:9091
prom_url = http://prometheus.example.org:9090
; the servers, with spaces after the commas and one on a continuation line
servers = store1.example.org, store2.example.org ,store3.example.org,
    store4.example.org:2222
ssh_user = xrootdrestart
pkey_name = xrootdrestartkey
cmsd_svc = cmsd@atlas
xrootd_svc = xrootd@atlas
"""

HOOK_TASKS = """\
# runs on the server right before its cmsd stops
- name: Say which server is next
  ansible.builtin.debug:
    msg: "about to restart {{ inventory_hostname }}"
- name: Wait a moment
  ansible.builtin.pause:
    seconds: 0
"""

T0 = "2026-11-30T10:00:00Z"
T1 = "2026-12-01T08:30:00.123456789Z"


def state_dict(rng):
    """A state.json as the daemon writes it; sometimes with a restart in flight and a silence."""
    servers = {}
    for name in SERVERS:
        servers[name] = {
            "last_attempt": T1,
            "last_success": T0,
            "outcome": rng.choice(["success", "failed", "unreachable", "interrupted"]),
            "message": "drained 1.1 s; restore: both units active",
            "needs_restore": False,
            "out_of_turn": [T0] if rng.random() < 0.3 else [],
        }
    state = {"format": 1, "last_slot": T1, "servers": servers, "in_flight": None, "silences": {}}
    if rng.random() < 0.3:
        state["in_flight"] = {"server": "lab1", "phase": "drain", "since": T1}
    if rng.random() < 0.3:
        state["silences"] = {"5b2c0a9e-1c1d-4b53-9a7e-2d4c3f1e0a11": "lab1"}
    return state


def alert_dict(name, node):
    return {
        "alertname": name,
        "node": node,
        "starts_at": T1,
        "summary": f"xrootdrestart could not restart {node}",
        "description": "drain: Stop cmsd@cluster: non-zero return code (rc 1)",
        "run_dir": "/var/lib/xrootdrestart/runs/20261201T083000.000Z-lab1-restart",
    }


def alerts_dict(rng):
    """An alerts.json as the daemon writes it: firing alerts and the outbox."""
    firing = [alert_dict("XROOTDRESTART_RESTART_ERROR", "lab1")]
    if rng.random() < 0.5:
        firing.append(alert_dict("XROOTDRESTART_CONNECT_ERROR", "lab2"))
    if rng.random() < 0.3:
        insufficient = alert_dict("XROOTDRESTART_INSUFFICIENT_SERVERS", None)
        insufficient["run_dir"] = None
        firing.append(insufficient)
    outbox = [
        {"seq": i + 1, "resolved_at": T1 if i == 0 and rng.random() < 0.5 else None, "alert": a}
        for i, a in enumerate(firing)
    ]
    return {"format": 1, "seq": len(outbox), "firing": firing, "outbox": outbox}


def controls_dict(rng):
    controls = {"format": 1, "paused": None, "excluded": {}}
    if rng.random() < 0.5:
        controls["paused"] = {"reason": "firmware upgrade", "since": T1}
    if rng.random() < 0.7:
        controls["excluded"] = {
            "lab2": {"since": T1, "until": rng.choice([None, "2099-01-01T00:00:00Z"]), "reason": "disk"}
        }
    return controls


def dump_json(data, rng):
    text = json.dumps(data, indent=rng.choice([None, 1, 2]), ensure_ascii=rng.random() < 0.5)
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate from a mutation stays broken


# --------------------------------------------------------------------------------------------
# Values that are wrong somewhere

GENERIC_BAD = [
    None, True, False, 0, -1, 1, 2**31, 2**63, 10**30, -(10**30), 1.5, -0.0,
    float("inf"), float("nan"), "", " ", "garbage", "ünïcödé ✓ 日本", "a" * 5000, "\t",
    "${HOME}", "$(reboot)", "'; reboot #", [], [1, 2], {}, {"a": 1}, [[["x"]]], "0x1F", "1e3",
    "~", "null", "yes", "2026-13-45", "\u202e\u0000x",
]

POOLS = {
    "duration": ["5x", "-5", "-5s", "0", "0s", "1h-3m", "99999999999999999999", "999999999999999d",
                 "1.5h", "5 m", "5M", "1w1w", "ms", "s", "PT5M", "1h30m0s", "9223372036854775807s",
                 "2147483648", "1e9", "10ms", "1ms", "3d", -300, 0, 10**12],
    "number": [-1, 0, 2, 3, 1000, 2**31, -(2**31), "two", "1.0", 1.0, "0x10", "+3", " 3 ", "٣"],
    "port": [0, -1, 1, 22, 65535, 65536, 99999, "http", "8000:1", "08000", 18999],
    "url": ["not a url", "http://", "ftp://example.org", "http://[::1", "http://a b",
            "localhost:9093", "http://example.org:99999", "javascript:alert(1)",
            "http://127.0.0.1:9/path?q=1#f", "https://user:pw@example.org:9093", "//x", ""],
    "unit": ["cmsd@cluster; reboot", "cmsd", "xrootd@cluster", "cmsd@cluster", "../../etc/passwd",
             "cmsd@@x", "cmsd@", "@x", "cmsd@cluster.service", "-cmsd", "cmsd@clu ster", "", "a" * 300,
             "xrootd@cluster.service", "cmsd@ünï"],
    "time": ["25:00", "12:60", "noon", "1200", "-01:00", "23:59", "00:00", "24:00", "7:5", "07:05:00",
             "", 730],
    "days": ["Mon-Fry", "Sun-Mon", "Mon,,Tue", "Funday", "mon-fri", "Mon-Fri-Sat", "Mon-Fri", "",
             "Sat,Sun", "Mon - Fri", ["Mon", "Tue"]],
    "zone": ["Mars/Olympus", "UTC+25", "Europe/Zurich ", "../../etc/passwd", "GMT+14", "Z", "+02:00",
             "Europe/Zurich", "EST5EDT", ""],
    "regex": ["(", "[a-", "*", "a{99999999}", "(?<x>", ".*", "^$", "\\", "(a+)+$"],
    "bool": ["maybe", "yes", "no", "1", 2, "TRUE", "off", "", "true "],
    "log_level": ["TRACE", "info", "verbose", "WARN", "CRITICAL", "", "DEBUG "],
    "metrics_method": ["pull", "POLL", "PUSH", "", "PUSH,PULL"],
    "health_check": ["systemd ", "XROOTD", "none", "xrootd", ""],
    "start_order": ["both", "", "CMSD_FIRST", "xrootd_first"],
    "matchers": ['instance=~"{node}', "{node}", "a=b,c", [1, 2], ['job=~"('], "instance", '="x"',
                 ['instance="{node}"', {"a": "b"}], "{nodes}"],
    "path": ["no/such/dir/file", "", ".", "..", "/nonexistent/x", "/proc/version", "/dev/null",
             "state", "hosts.yml", "a\u0000b", "~root/x"],
    "promql": ["up ==", "sum(", "{", "up", "rate(x[5m]) > 0", ""],
    "label": ["", "1abc", "a b", "instance", "__name__", "ünï"],
    "name": ["", "a b", "-rf", "chaos", "a" * 300, "ünï", "x/y", "root"],
    "bind": ["0.0.0.0", "::", "256.1.1.1", "localhost", "example.invalid", "", "127.0.0.1:80"],
    "inventory": ["lab1,lab2", "no-such-inventory.yml", ",", "hosts.yml,", ".", "", "a b"],
    "group": ["xrootd_redirectors", "no_such_group", "all", "ungrouped", "", "a b", "-x"],
}

KEY_POOL = {
    "cluster_id": "name", "cmsd_period": "duration", "cmsd_wait": "duration",
    "service_timeout": "duration", "connect_timeout": "duration", "min_ok": "number",
    "log_level": "log_level", "log_file": "path", "metrics_port": "port", "metrics_bind": "bind",
    "metrics_method": "metrics_method", "external_url": "url", "alert_url": "url",
    "silence_matchers": "matchers", "alert_resend": "duration", "alert_user": "name",
    "alert_password_file": "path", "alert_token_file": "path", "pushgw_url": "url",
    "prom_url": "url", "ssh_user": "name", "pkey_name": "name", "pkey_path": "path",
    "cmsd_svc": "unit", "xrootd_svc": "unit", "health_check": "health_check",
    "health_max_age": "duration", "xrootd_port": "port", "verify_timeout": "duration",
    "start_order": "start_order", "drain_until_idle": "bool", "inventory": "inventory",
    "inventory_group": "group", "state_dir": "path", "run_retention": "number",
    "window_days": "days", "window_start": "time", "window_end": "time", "window_timezone": "zone",
    "block_on_alerts": "regex", "remedial_per_day": "number", "restart_when": "promql",
    "restart_when_label": "label", "escalate_reboot": "bool", "pre_restart_tasks": "path",
    "post_restart_tasks": "path",
    # inventory host vars
    "ansible_host": "bind", "ansible_port": "port", "ansible_python_interpreter": "path",
    # the legacy file's own
    "servers": "servers",
}

# state files' own fields
POOLS["instant"] = ["+1000000000-01-01T00:00:00Z", "-1000000000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                    "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "2026-12-01T08:30:00+02:00", "2026-12-01",
                    "2026-02-30T00:00:00Z", "2026-12-01T08:30:00.1234567891234Z", "2099-01-01T00:00:00Z",
                    "2026-12-01T25:00:00Z", "", 0, 1796231387, -1, None]
POOLS["instants"] = [["+1000000000-01-01T00:00:00Z"], ["bad"], [None], [T0] * 1000, "2026-12-01T08:30:00Z", {}]
POOLS["alertname"] = ["XROOTDRESTART_FOO", "xrootdrestart_restart_error", "XROOTDRESTART_", "XROOTDRESTART_RESTART_ERROR",
                      "XROOTDRESTART_INSUFFICIENT_SERVERS", "XROOTDRESTART_CONNECT_ERROR", "OtherAlert", ""]
POOLS["phase"] = ["drain", "cycle", "restore", "kill", "reboot", "bogus", "", "DRAIN"]
POOLS["server"] = ["lab1", "lab2", "lab3", "", "LAB1", "lab1 ", "../lab1", "ünï"]
KEY_POOL.update({
    "last_attempt": "instant", "last_success": "instant", "last_slot": "instant", "since": "instant",
    "until": "instant", "starts_at": "instant", "resolved_at": "instant", "out_of_turn": "instants",
    "alertname": "alertname", "phase": "phase", "server": "server", "node": "server", "seq": "number",
    "needs_restore": "bool", "format": "number",
})

POOLS["servers"] = ["", ",", "a, a", "store1:99999", "store1:-1", "store1:abc", "[::1]:22", "a:b:c",
                    "ünï.example.org", " , ,", "store1 store2\tstore3", ",".join(f"s{i}" for i in range(500)),
                    "store1.example.org:22, store1.example.org:22", "-rf", "a;reboot"]


def bad_value(rng, key):
    """A value for `key`: from its own pool (plausible but wrong, or right) or a wrong type."""
    pool = POOLS.get(KEY_POOL.get(key, ""), [])
    if pool and rng.random() < 0.7:
        return rng.choice(pool)
    return rng.choice(GENERIC_BAD)


def typo(rng, key):
    """A key one edit away from `key` (what an admin mistypes)."""
    if len(key) < 3:
        return key + "x"
    i = rng.randrange(len(key) - 1)
    op = rng.choice(["swap", "drop", "double", "case", "dash"])
    if op == "swap":
        return key[:i] + key[i + 1] + key[i] + key[i + 2:]
    if op == "drop":
        return key[:i] + key[i + 1:]
    if op == "double":
        return key[:i] + key[i] + key[i:]
    if op == "case":
        return key.upper()
    return key.replace("_", "-")


# --------------------------------------------------------------------------------------------
# Mutations of a parsed document (a dict/list tree). Each returns a description, or None if it
# does not apply, and may set `inp.expect_key`.


def paths_of(tree, prefix=()):
    """Every path (tuple of keys/indices) in the tree, the root included."""
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += paths_of(v, prefix + (k,))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += paths_of(v, prefix + (i,))
    return out


def get_at(tree, path):
    for p in path:
        tree = tree[p]
    return tree


def set_at(tree, path, value):
    if not path:
        return value
    get_at(tree, path[:-1])[path[-1]] = value
    return tree


def mutate_tree(rng, tree, inp, top_keys_line=False):
    """One structural change to the tree; returns (tree, description)."""
    paths = [p for p in paths_of(tree) if p]
    op = rng.choice(["value", "value", "value", "delete", "rename", "unknown", "wrap", "unwrap", "root"])
    if not paths:
        op = "root"
    path = rng.choice(paths) if paths else ()
    last = path[-1] if path else None
    if op == "value":
        value = bad_value(rng, str(last))
        tree = set_at(tree, path, value)
        if top_keys_line and len(path) == 1:
            inp.expect_key = str(last)
        return tree, f"set {fmt(path)} to {short(value)}"
    if op == "delete":
        parent = get_at(tree, path[:-1])
        del parent[last]
        return tree, f"delete {fmt(path)}"
    if op == "rename" and isinstance(last, str):
        parent = get_at(tree, path[:-1])
        new = typo(rng, last)
        parent_items = [(new if k == last else k, v) for k, v in parent.items()]
        parent.clear()
        parent.update(parent_items)
        if top_keys_line and len(path) == 1 and new != last:
            inp.expect_key = new
        return tree, f"rename {fmt(path)} to {new}"
    if op == "unknown":
        parent = get_at(tree, path[:-1]) if isinstance(get_at(tree, path[:-1]), dict) else None
        if parent is not None:
            key = rng.choice(["servers", "colour", "cmsd_wiat", "format", "version", "x" * 200, "", "1"])
            parent[key] = rng.choice(GENERIC_BAD)
            return tree, f"add key {short(key)} under {fmt(path[:-1])}"
    if op == "wrap":
        value = get_at(tree, path)
        wrapped = rng.choice([[value], {"value": value}, [value, value]])
        return set_at(tree, path, wrapped), f"wrap {fmt(path)} in {type(wrapped).__name__}"
    if op == "unwrap":
        value = get_at(tree, path)
        if isinstance(value, dict):
            return set_at(tree, path, list(value.keys())), f"{fmt(path)}: mapping -> list of its keys"
        if isinstance(value, list):
            return set_at(tree, path, value[0] if value else None), f"{fmt(path)}: list -> first item"
        return set_at(tree, path, {str(value): value}), f"{fmt(path)}: scalar -> mapping"
    if op != "root":  # the change drawn does not fit this spot: a bad value there instead
        value = rng.choice(GENERIC_BAD)
        return set_at(tree, path, value), f"set {fmt(path)} to {short(value)}"
    replacement = rng.choice([[], [tree], "text", 42, None, {}])
    return replacement, f"replace the whole document by {short(replacement)}"


def fmt(path):
    return "/".join(str(p) for p in path) or "(root)"


def short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------------------------
# Mutations of the text (line based, format aware) and of the bytes


def yaml_text_mutation(rng, text, bombs=True):
    """A change that only text can express: duplicate keys, tags, anchors, tabs, documents.

    bombs=False for the files Ansible reads (inventories, hook tasks): its YAML loader expands an
    alias bomb for as long as the daemon lets ansible-inventory run (120 s), longer than a case."""
    lines = text.split("\n")
    keyed = [i for i, l in enumerate(lines) if ":" in l and not l.lstrip().startswith("#")]
    op = rng.choice(["dup", "tag", "alias_bomb", "tab", "docs", "deep", "indent", "servers", "comment_only"])
    if op == "alias_bomb" and not bombs:
        op = "docs"
    if op == "dup" and keyed:
        i = rng.choice(keyed)
        lines.insert(rng.randrange(i + 1, len(lines) + 1), lines[i])
        return "\n".join(lines), f"duplicate line {i + 1} ({lines[i].strip()[:40]})"
    if op == "tag" and keyed:
        i = rng.choice(keyed)
        tag = rng.choice(["!!binary", "!!python/object:os.system", "!foo", "!!set", "!!timestamp", "!!float"])
        k, _, v = lines[i].partition(":")
        lines[i] = f"{k}: {tag} {v.strip() or 'x'}"
        return "\n".join(lines), f"tag {tag} on line {i + 1}"
    if op == "alias_bomb":
        bomb = ["bomb0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for n in range(1, 10):
            bomb.append(f"bomb{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]")
        return text + "\n" + "\n".join(bomb) + "\n", "alias bomb (10^10 elements)"
    if op == "tab" and keyed:
        i = rng.choice(keyed)
        lines[i] = "\t" + lines[i]
        return "\n".join(lines), f"tab before line {i + 1}"
    if op == "docs":
        return text + "\n---\n" + text, "two YAML documents"
    if op == "deep" and keyed:
        i = rng.choice(keyed)
        depth = rng.choice([60, 1000, 20000])
        k = lines[i].partition(":")[0]
        lines[i] = f"{k}: " + "[" * depth + "]" * depth
        return "\n".join(lines), f"nesting {depth} deep on line {i + 1}"
    if op == "indent" and keyed:
        i = rng.choice(keyed)
        lines[i] = " " * rng.choice([1, 3, 8]) + lines[i]
        return "\n".join(lines), f"indent line {i + 1}"
    if op == "servers":
        return text + "\nservers: [a.example.org, b.example.org]\n", "add servers:"
    return "\n".join("# " + l for l in lines), "comment out every line"


def ini_text_mutation(rng, text):
    """Line changes for INI files: headers, duplicates, continuation lines, bare words."""
    lines = text.split("\n")
    op = rng.choice(["dup", "drop", "header", "bare", "continuation", "swap", "interp", "dup_section"])
    i = rng.randrange(len(lines))
    if op == "dup":
        lines.insert(i, lines[rng.randrange(len(lines))])
        return "\n".join(lines), f"duplicate a line at {i + 1}"
    if op == "drop":
        gone = lines.pop(i)
        return "\n".join(lines), f"drop line {i + 1} ({gone.strip()[:40]})"
    if op == "header":
        new = rng.choice(["[general", "general]", "[]", "[ general ]", "[GENERAL]", "[other]", "[[general]]"])
        lines = [new if l.strip().startswith("[") else l for l in lines]
        return "\n".join(lines), f"section headers -> {new}"
    if op == "bare":
        lines.insert(i, rng.choice(["justaword", "=value", ":", "key =", "  indented = x", "ünï = ✓"]))
        return "\n".join(lines), f"insert a bare line at {i + 1}"
    if op == "continuation":
        lines.insert(i, "    " + rng.choice(["more", "x = y", "[general]", ""]))
        return "\n".join(lines), f"insert a continuation line at {i + 1}"
    if op == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines), f"swap lines {i + 1} and {j + 1}"
    if op == "interp":
        return text.replace("= ", "= %(cluster_id)s", 1), "add %(interpolation)s"
    return text + "\n[general]\nmin_ok = 1\n", "a second [general] section"


def ini_value_mutation(rng, text, inp, key_sep="="):
    """Set one `key = value` line's value to a bad one; names the key for the oracle."""
    lines = text.split("\n")
    keyed = [i for i, l in enumerate(lines)
             if key_sep in l and not l.lstrip().startswith(("#", ";", "[")) and not l.startswith(" ")]
    if not keyed:
        return text, "no key to change"
    i = rng.choice(keyed)
    key = lines[i].split(key_sep, 1)[0].strip()
    value = bad_value(rng, key)
    lines[i] = f"{key} {key_sep} {ini_text(value)}"
    inp.expect_key = key
    return "\n".join(lines), f"set {key} to {short(value)}"


def arg_text(value):
    """A value as a command-line argument or variable: no NUL (the system refuses it there)."""
    return ini_text(value).replace("\x00", "")


def ini_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value).replace("\n", " ")


def inventory_ini_mutation(rng, text):
    """Change a host line's variables (ansible_port=..., cmsd_svc=...) or the host name."""
    lines = text.split("\n")
    hosts = [i for i, l in enumerate(lines) if l.startswith(("lab", "rdr"))]
    if not hosts:
        lines.append("lab3")
        hosts = [len(lines) - 1]
    i = rng.choice(hosts)
    var = rng.choice(["ansible_host", "ansible_port", "cmsd_svc", "xrootd_svc", "xrootd_port", "name"])
    value = ini_text(bad_value(rng, var)).replace(" ", "_") or "''"
    if var == "name":
        parts = lines[i].split(" ", 1)
        lines[i] = value + " " + (parts[1] if len(parts) > 1 else "")
        return "\n".join(lines), f"host name on line {i + 1} -> {short(value)}"
    if var == "ansible_host" and rng.random() < 0.5:
        value = "@IP1@"  # the same server twice
    lines[i] = lines[i] + f" {var}={value}"
    return "\n".join(lines), f"line {i + 1}: {var}={short(value)}"


def byte_mutation(rng, data):
    """Damage the bytes: truncate, garbage, invalid UTF-8, NUL, BOM, CRLF, empty, random blob."""
    op = rng.choice(["truncate", "truncate", "garbage", "flip", "utf8", "nul", "bom", "crlf", "empty", "blob", "huge"])
    n = len(data)
    if op == "truncate" and n:
        cut = rng.randrange(n)
        return data[:cut], f"truncate to {cut} of {n} bytes"
    if op == "garbage":
        at = rng.randrange(n + 1)
        junk = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        return data[:at] + junk + data[at:], f"insert {len(junk)} random bytes at {at}"
    if op == "flip" and n:
        out = bytearray(data)
        for _ in range(rng.randrange(1, 6)):
            out[rng.randrange(n)] = rng.randrange(256)
        return bytes(out), "overwrite a few bytes"
    if op == "utf8":
        at = rng.randrange(n + 1)
        bad = rng.choice([b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"])
        return data[:at] + bad + data[at:], f"invalid UTF-8 {bad!r} at {at}"
    if op == "nul":
        at = rng.randrange(n + 1)
        return data[:at] + b"\x00" + data[at:], f"NUL byte at {at}"
    if op == "bom":
        return b"\xef\xbb\xbf" + data, "UTF-8 byte order mark"
    if op == "crlf":
        return data.replace(b"\n", b"\r\n"), "CRLF line ends"
    if op == "empty":
        return b"", "empty file"
    if op == "huge":
        return data + b"#" + b"x" * 3_000_000 + b"\n", "a 3 MB comment line"
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))), "random bytes only"


def file_mutation(rng):
    """The file is not a readable regular file (as root, chmod 000 would still be readable)."""
    return rng.choice([
        (Special("dir"), "a directory instead of the file"),
        (Special("symlink", "does-not-exist"), "a dangling symlink"),
        (Special("symlink", "loop-a"), "a symlink loop"),
        (None, "the file is missing"),
    ])


# --------------------------------------------------------------------------------------------
# The cases: one valid input of a kind, its mutations, and the command that reads it


def safe_yaml(data):
    """The parsed document, or None: also for anchors (PyYAML would expand an alias bomb)."""
    if b"&" in data or len(data) > 100_000:
        return None
    try:
        return yaml.safe_load(data.decode("utf-8"))
    except Exception:  # YAMLError, UnicodeDecodeError, RecursionError, and PyYAML's own bugs
        return None


def mutate_yaml_file(rng, data, inp, top_keys_line, bombs=True):
    """1-3 mutations of a YAML file: structure, text or bytes (or the file itself)."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if isinstance(data, Special) or data is None:
            break
        roll = rng.random()
        if roll < 0.40:
            tree = safe_yaml(data)
            if isinstance(tree, (dict, list)):
                tree, what = mutate_tree(rng, tree, inp, top_keys_line and not inp.mutations)
                data = dump_yaml(tree)
            else:
                data, what = byte_mutation(rng, data)
        elif roll < 0.65:
            text, what = yaml_text_mutation(rng, data.decode("utf-8", "replace"), bombs)
            data = text.encode("utf-8")
        elif roll < 0.93:
            data, what = byte_mutation(rng, data)
        else:
            data, what = file_mutation(rng)
        inp.mutations.append(what)
    if len(inp.mutations) > 1:
        inp.expect_key = None
    return data


def mutate_json_file(rng, data, inp):
    """1-3 mutations of a JSON state file: structure, future format, text or bytes."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if isinstance(data, Special) or data is None:
            break
        roll = rng.random()
        try:
            tree = json.loads(data)
        except (ValueError, UnicodeDecodeError, RecursionError):
            tree = None
        if roll < 0.50 and isinstance(tree, (dict, list)):
            tree, what = mutate_tree(rng, tree, inp)
            data = dump_json(tree, rng)
        elif roll < 0.60 and isinstance(tree, dict):
            tree["format"] = rng.choice([2, 99, 2**40, -1, 0, "1", "2", None, 1.5])
            data, what = dump_json(tree, rng), f"format {short(tree['format'])}"
        elif roll < 0.68:
            text = data.decode("utf-8", "replace")
            depth = rng.choice([100, 2000, 100000])
            text = text.replace('"servers"', '"deep": ' + "[" * depth + "]" * depth + ', "servers"', 1)
            if '"deep"' not in text:
                text = "[" * depth + "]" * depth
            data, what = text.encode("utf-8"), f"nesting {depth} deep"
        elif roll < 0.73:
            text = data.decode("utf-8", "replace")
            data, what = text.replace('{', '{"format": 7, ', 1).encode("utf-8"), "a duplicate key"
        elif roll < 0.95:
            data, what = byte_mutation(rng, data)
        else:
            data, what = file_mutation(rng)
        inp.mutations.append(what)
    inp.expect_key = None
    return data


def mutate_ini_file(rng, data, inp, value_mutation):
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        if isinstance(data, Special) or data is None:
            break
        roll = rng.random()
        text = data.decode("utf-8", "replace")
        if roll < 0.45:
            text, what = value_mutation(rng, text, inp)
            data = text.encode("utf-8")
        elif roll < 0.70:
            text, what = ini_text_mutation(rng, text)
            data = text.encode("utf-8")
        elif roll < 0.95:
            data, what = byte_mutation(rng, data)
        else:
            data, what = file_mutation(rng)
        inp.mutations.append(what)
    if len(inp.mutations) > 1:
        inp.expect_key = None
    return data


def valid_roll(rng):
    """About one case in 20 keeps its input valid: the command must then succeed."""
    return rng.random() < 0.05


def config_case(rng):
    inp = CaseInput("config")
    cfg = config_dict(rng)
    inp.files["xrootdrestart.yml"] = dump_yaml(cfg)
    inp.files["hosts.yml"] = dump_yaml(INVENTORY_YAML)
    inp.target = "xrootdrestart.yml"
    inp.command = weighted(rng, [(["check", "--config", "{config}"], 62),
                                 (["settings", "--servers", "--config", "{config}"], 12),
                                 (["status", "--config", "{config}"], 16),
                                 (["plan", "--config", "{config}", "--state-dir", "{state}"], 10)])
    if not valid_roll(rng):
        inp.valid = False
        inp.files[inp.target] = mutate_yaml_file(rng, inp.files[inp.target], inp, True)
        inp.expect_line = inp.expect_key is not None
    return inp


def inventory_case(rng, kind, rotations=False):
    """rotations: the YAML inventory with two child groups (drawn apart from rng, so that the other
    cases of a seed stay what they were before rotations came)."""
    inp = CaseInput(kind)
    if kind == "inventory-yaml":
        inp.files["hosts.yml"] = dump_yaml(INVENTORY_ROTATIONS_YAML if rotations else INVENTORY_YAML)
        inp.target, inventory = "hosts.yml", "hosts.yml"
    elif kind == "inventory-ini":
        inp.files["hosts.ini"] = INVENTORY_INI.encode()
        inp.target, inventory = "hosts.ini", "hosts.ini"
    else:
        for path, text in INVENTORY_DIR.items():
            inp.files[path] = text.encode()
        inp.target, inventory = rng.choice(list(INVENTORY_DIR)), "inventory"
    inp.files["xrootdrestart.yml"] = dump_yaml(config_dict(rng, inventory))
    inp.command = weighted(rng, [(["check", "--config", "{config}"], 75),
                                 (["settings", "--servers", "--config", "{config}"], 12),
                                 (["plan", "--config", "{config}", "--state-dir", "{state}"], 13)])
    mutated = inp.target
    if kind == "inventory-dir":
        inp.target = "inventory"  # a message naming the directory (or a file in it) will do
    if valid_roll(rng):
        return inp
    inp.valid = False
    data = inp.files[mutated]
    if mutated in ("hosts.ini", "inventory/hosts"):
        data = mutate_ini_file(rng, data, inp, lambda r, t, i: inventory_ini_mutation(r, t))
    else:
        data = mutate_yaml_file(rng, data, inp, False, bombs=False)
    inp.files[mutated] = data
    inp.expect_key = None
    return inp


def legacy_case(rng):
    inp = CaseInput("legacy-ini")
    inp.files["old.conf"] = LEGACY_INI.encode()
    inp.target = "old.conf"
    inp.command = ["migrate-config", "{case}/old.conf", "--out", "{case}/out"]
    if rng.random() < 0.2:
        inp.files["out/hosts.yml"] = b"mine\n"
        if rng.random() < 0.7:
            inp.command.append("--force")
        else:
            inp.also_fine = ["exists; pass --force"]
    inp.then_check = True
    if not valid_roll(rng):
        inp.valid = False
        inp.files["old.conf"] = mutate_ini_file(rng, inp.files["old.conf"], inp, ini_value_mutation)
        inp.expect_line = inp.expect_key is not None
    return inp


def state_case(rng, kind):
    """state.json, alerts.json or controls.json, read by status, plan, run or restart."""
    inp = CaseInput(kind)
    name = {"state": "state.json", "alerts": "alerts.json", "controls": "controls.json"}[kind]
    build = {"state": state_dict, "alerts": alerts_dict, "controls": controls_dict}[kind]
    inp.files["state/" + name] = dump_json(build(rng), rng)
    inp.files["xrootdrestart.yml"] = dump_yaml(config_dict(rng, guarded=True))
    inp.files["hosts.yml"] = dump_yaml(INVENTORY_YAML)
    inp.target = "state/" + name
    commands = {
        "state": [(["status", "--config", "{config}"], 40), (["run", "--config", "{config}"], 20),
                  (["restart", "lab1", "--config", "{config}"], 20),
                  (["plan", "--config", "{config}", "--state-dir", "{state}"], 20)],
        # status reads no alerts.json
        "alerts": [(["run", "--config", "{config}"], 50), (["restart", "lab2", "--config", "{config}"], 50)],
        "controls": [(["status", "--config", "{config}"], 30), (["run", "--config", "{config}"], 25),
                     (["plan", "--config", "{config}", "--state-dir", "{state}"], 15),
                     (["resume", "--config", "{config}"], 10),
                     (["exclude", "lab1", "--until", "1h", "--config", "{config}"], 10),
                     (["include", "lab2", "--config", "{config}"], 10)],
    }[kind]
    inp.command = weighted(rng, commands)
    inp.group_signal = rng.random() < 1 / 3
    if not valid_roll(rng):
        inp.valid = False
        inp.files[inp.target] = mutate_json_file(rng, inp.files[inp.target], inp)
    return inp


def hooks_case(rng):
    inp = CaseInput("hooks")
    cfg = config_dict(rng)
    cfg[rng.choice(["pre_restart_tasks", "post_restart_tasks"])] = "hook.yml"
    inp.files["xrootdrestart.yml"] = dump_yaml(cfg)
    inp.files["hosts.yml"] = dump_yaml(INVENTORY_YAML)
    inp.files["hook.yml"] = HOOK_TASKS.encode()
    inp.target = "hook.yml"
    inp.command = ["check", "--config", "{config}"]
    if not valid_roll(rng):
        inp.valid = False
        inp.files["hook.yml"] = mutate_yaml_file(rng, inp.files["hook.yml"], inp, False, bombs=False)
        inp.expect_key = None
    return inp


CLI_COMMANDS = [
    ["check", "--config", "{config}"],
    ["settings", "--servers", "--config", "{config}"],
    ["status", "--config", "{config}"],
    ["plan", "--config", "{config}", "--state-dir", "{state}"],
    ["migrate-config", "{case}/old.conf", "--out", "{case}/out"],
    ["config-template"],
    ["pause", "--reason", "chaos", "--config", "{config}"],
    ["resume", "--config", "{config}"],
    ["exclude", "lab2", "--until", "4h", "--reason", "disk", "--config", "{config}"],
    ["include", "lab2", "--config", "{config}"],
    ["restart", "lab1", "--config", "{config}"],
]

# Never generated for `restart`: what would let it restart a server (the guard holds by GUARD_HOLDS).
GUARD_OPTIONS = ("--force", "--block-on-alerts", "--prom-url", "--inventory", "--inventory-group")


def cli_case(rng):
    """A valid config and a command line with a bad option, value, argument or variable."""
    inp = CaseInput("cli")
    inp.files["xrootdrestart.yml"] = dump_yaml(config_dict(rng, guarded=True))
    inp.files["hosts.yml"] = dump_yaml(INVENTORY_YAML)
    inp.files["old.conf"] = LEGACY_INI.encode()
    argv = list(rng.choice(CLI_COMMANDS))
    inp.valid = False
    for _ in range(rng.choice([1, 1, 2])):
        argv, what = mutate_argv(rng, argv, inp)
        inp.mutations.append(what)
    if len(inp.mutations) > 1:
        inp.expect_words = []
    inp.command = argv
    return inp


def mutate_argv(rng, argv, inp):
    op = rng.choice(["unknown", "bad_value", "bad_value", "missing_value", "extra", "drop", "dup",
                     "env", "env_unknown", "until", "weird"])
    keys = [k for k in KEY_POOL if k in FULL_CONFIG]
    if argv[0] == "restart":
        keys = [k for k in keys if "--" + k.replace("_", "-") not in GUARD_OPTIONS]
    if op == "unknown":
        opt = rng.choice(["--bogus", "--cmsd-wiat=5", "-x", "--config-file", "--min_ok=2", "--", "-",
                          "--force" if argv[0] != "restart" else "--forc"])
        argv.insert(rng.randrange(1, len(argv) + 1), opt)
        return argv, f"add {opt}"
    if op in ("bad_value", "dup") and argv[0] != "config-template" and argv[0] != "migrate-config":
        key = rng.choice(keys)
        opt = "--" + key.replace("_", "-")
        value = arg_text(bad_value(rng, key))
        argv += [opt, value] if rng.random() < 0.5 else [f"{opt}={value}"]
        if op == "dup":
            argv += [opt, arg_text(FULL_CONFIG[key])]
        if len(inp.mutations) == 0:
            inp.expect_words = [opt + "|" + key]
        return argv, f"{opt} {short(value)}" + (" twice" if op == "dup" else "")
    if op == "missing_value" and "--config" in argv[:-1]:
        i = argv.index("--config")
        del argv[i + 1]
        return argv, "--config without its value"
    if op == "extra":
        argv.append(rng.choice(["extra", "lab3", "", "ünï", "-1"]))
        return argv, f"extra argument {short(argv[-1])}"
    if op == "drop" and len(argv) > 1:
        i = rng.randrange(1, len(argv))
        gone = argv.pop(i)
        return argv, f"drop argument {short(gone)}"
    if op == "env" and argv[0] != "config-template":
        key = rng.choice(keys)
        var = "XROOTDRESTART_" + key.upper()
        inp.env[var] = arg_text(bad_value(rng, key))
        if len(inp.mutations) == 0:
            inp.expect_words = [var]
        return argv, f"{var}={short(inp.env[var])}"
    if op == "env_unknown":
        var = rng.choice(["XROOTDRESTART_CMSD_WIAT", "XROOTDRESTART_", "XROOTDRESTART_SERVERS", "XROOTDRESTART_X"])
        inp.env[var] = "5"
        if len(inp.mutations) == 0:
            inp.expect_words = [var]
        return argv, f"unknown variable {var}"
    if op == "until" and argv[0] == "exclude":
        i = argv.index("--until")
        argv[i + 1] = rng.choice(["-1h", "0", "2026-13-01", "tomorrow", "99999999999d", "", "2026-12-24T08:00",
                                  "2026-12-24T08:00+25:00", "1970-01-01T00:00Z", "+999999999-12-31T23:59Z", "1ms"])
        return argv, f"--until {short(argv[i + 1])}"
    argv.insert(rng.randrange(1, len(argv) + 1), rng.choice(["--config", "--help", "-V", "--json", "--progress", "a" * 10000]))
    return argv, "odd argument"


KINDS = [
    ("config", 26), ("inventory-yaml", 9), ("inventory-ini", 8), ("inventory-dir", 6),
    ("legacy-ini", 13), ("state", 12), ("alerts", 6), ("controls", 5), ("hooks", 4), ("cli", 11),
]


def weighted(rng, choices):
    total = sum(w for _, w in choices)
    x = rng.uniform(0, total)
    for item, w in choices:
        x -= w
        if x <= 0:
            return list(item) if isinstance(item, list) else item
    return choices[-1][0]


def build_case(seed):
    """The whole input of the case with this seed."""
    rng = random.Random(seed)
    kind = weighted(rng, KINDS)
    if kind == "config":
        return config_case(rng)
    if kind.startswith("inventory"):
        return inventory_case(rng, kind, rotations=random.Random(seed * 31 + 7).random() < 0.5)
    if kind == "legacy-ini":
        return legacy_case(rng)
    if kind in ("state", "alerts", "controls"):
        return state_case(rng, kind)
    if kind == "hooks":
        return hooks_case(rng)
    return cli_case(rng)
