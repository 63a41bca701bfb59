"""Checks the checker: verdict.judge on made-up witnesses, each breaking one invariant on purpose, and
one clean record that must pass. No lab, a second or so:  testing/chaos verdict-check
"""

from . import labrig, verdict

SERVERS = ["lab1", "lab2", "lab3"]
SC = {"servers": SERVERS, "min_ok": 2, "period_ms": 30000, "service_timeout": 4, "max_stop_delay": 0.5,
      "min_delay": 0.3, "interval": 10.0}
T0 = 1800000000.0


def call(t, server, verb, unit, rc=0, user="xrootdrestart"):
    return labrig.Call("%d %s %s %s %d %s" % (int((T0 + t) * 1000), server, verb, unit, rc, user))


def health(t, bad=()):
    out = []
    for i, s in enumerate(SERVERS):
        rc = 3 if s in bad else 0
        out += [call(t + 0.2 * i, s, "is-active", "cmsd@cluster", rc), call(t + 0.2 * i + 0.05, s, "is-active",
                                                                            "xrootd@cluster", 0)]
    return out


def restart(t, s):
    return [call(t, s, "stop", "cmsd@cluster"), call(t + 0.3, s, "is-active", "cmsd@cluster", 3),
            call(t + 1.0, s, "stop", "xrootd@cluster"), call(t + 1.2, s, "is-active", "xrootd@cluster", 3),
            call(t + 1.6, s, "start", "cmsd@cluster"), call(t + 1.8, s, "is-active", "cmsd@cluster"),
            call(t + 2.2, s, "start", "xrootd@cluster"), call(t + 2.4, s, "is-active", "xrootd@cluster")]


def state(t, in_flight=None, slot=None, attempts=None, outcomes=None):
    servers = {}
    for s in SERVERS:
        servers[s] = {"last_attempt": (attempts or {}).get(s), "outcome": (outcomes or {}).get(s, "")}
    st = {"last_slot": slot, "servers": servers,
          "in_flight": {"server": in_flight, "phase": "drain", "since": "x"} if in_flight else None}
    return labrig.StateVersion(T0 + t, T0 + t, st)


def iso(t):
    import datetime
    return datetime.datetime.fromtimestamp(T0 + t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def base_rec(calls, versions):
    polls = []
    for k in range(0, 400):
        t = T0 + k * 0.05
        vi = max([i for i, v in enumerate(versions) if v.mtime <= t] or [-1])
        polls.append((t, vi))
    return {"t0": T0, "calls": sorted(calls, key=lambda c: c.t), "versions": versions, "polls": polls,
            "poll_gaps": [], "breaks": [], "harness_down": set(), "terms": [], "state_faults": [],
            "daemon_events": [(T0 - 5, "start", 1)], "lifecycle": [], "daemon_log": [], "daemon_log_tail": [],
            "final_states": {s: {"cmsd@cluster": "active", "xrootd@cluster": "active"} for s in SERVERS},
            "posts": [], "am_final": [], "t_final": T0 + 19, "t_am": T0 + 19.5, "t_end": T0 + 15,
            "t_slot_after": T0 + 16}


def clean():
    calls = health(0) + restart(1, "lab1") + health(10) + restart(11, "lab2")
    versions = [state(0.5, "lab1", iso(0.5), {"lab1": iso(0.5)}),
                state(4, None, iso(0.5), {"lab1": iso(0.5)}, {"lab1": "success"}),
                state(10.5, "lab2", iso(10.5), {"lab1": iso(0.5), "lab2": iso(10.5)}, {"lab1": "success"}),
                state(14, None, iso(10.5), {"lab1": iso(0.5), "lab2": iso(10.5)},
                      {"lab1": "success", "lab2": "success"})]
    return calls, versions


def cases():
    calls, versions = clean()
    yield "clean", None, base_rec(calls, versions)
    # 1: lab2 unhealthy in the round before lab1's restart, min_ok 2 -> only lab3 healthy
    c = health(0, bad=("lab2",)) + restart(1, "lab1") + health(10) + restart(11, "lab2")
    yield "min_ok", "1 min_ok", base_rec(c, versions)
    # 2: a unit left stopped
    rec = base_rec(calls, versions)
    rec["final_states"]["lab2"]["cmsd@cluster"] = "inactive"
    yield "left stopped", "2 stopped", rec
    # 3: lab1 restarted again at the next slot
    c = health(0) + restart(1, "lab1") + health(10) + restart(11, "lab1")
    v2 = [state(0.5, "lab1", iso(0.5)), state(10.5, "lab1", iso(10.5))]
    yield "double", "3 double", base_rec(c, v2)
    # 4: lab2's stop in the middle of lab1's restart
    c = health(0) + restart(1, "lab1") + [call(1.5, "lab2", "stop", "cmsd@cluster")]
    v3 = [state(0.5, "lab1", iso(0.5)), state(1.4, "lab2", iso(0.5))]
    yield "overlap", "4 one", base_rec(c, v3)
    # 5: a failed restart with no alert; then one with two startsAt in one episode
    v5 = versions[:1] + [state(4, None, iso(0.5), {"lab1": iso(0.5)}, {"lab1": "failed"})] + versions[2:3]
    yield "alert missing", "5 alerts", base_rec(calls, v5)
    rec = base_rec(calls, v5)
    a = {"labels": {"alertname": "XROOTDRESTART_RESTART_ERROR", "node": "lab1"}, "endsAt": iso(100)}
    rec["posts"] = [labrig.Post(T0 + 3, [dict(a, startsAt=iso(3))], 200),
                    labrig.Post(T0 + 6, [dict(a, startsAt=iso(6))], 200)]
    rec["am_final"] = [dict(a, startsAt=iso(3), status={"state": "active"})]
    yield "two startsAt", "5 alerts", rec
    # 6: lab1's drain while state.json did not name it
    v6 = [state(0.1, None, iso(0.1))] + versions[1:]
    yield "no intent", "6 state", base_rec(calls, v6)


def main(argv=()):
    bad = 0
    for name, want, rec in cases():
        fails, notes = verdict.judge(dict(SC), rec)
        got = sorted({f.invariant for f in fails})
        ok = (want is None and not got) or (want is not None and want in got)
        bad += not ok
        print("%-14s %s (expected %s, got %s)" % (name, "ok" if ok else "WRONG", want or "no failure",
                                                  ", ".join(got) or "no failure"))
        if not ok:
            for f in fails:
                print("   %s: %s" % (f.invariant, f.what))
    print("verdict-check: %s" % ("all cases as expected" if not bad else "%d case(s) wrong" % bad))
    return 1 if bad else 0
