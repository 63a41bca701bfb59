"""The verdict of one chaos scenario, from witnesses the daemon does not control.

Input (collected by scenarios.py): the lab's action logs (every systemctl call on a server, with the
time it returned, its exit code and the calling user), the unit states at the end (`lab status`),
every POST the daemon made to Alertmanager (recorded by the proxy in front of it, with
Alertmanager's answer) and Alertmanager's own /api/v2/alerts at the end, the versions of state.json
(each with the mtime the kernel gave it), and the harness's own record of what it did and when.

What is derived from the action logs:

- a health reading of a server: the daemon's `is-active cmsd@cluster` immediately followed, on that
  server, by its `is-active xrootd@cluster` (the health play's one command per server; no other play
  reads cmsd then xrootd back to back); healthy when both returned 0 (active);
- a health round: readings of servers in inventory order with no other daemon call in between (the
  health play reads one shard, here the whole fleet, server after server); a new round begins when a
  server does not come after the previous one, or when another daemon call came between;
- a restart: the daemon's `stop cmsd@cluster` (the drain), or its `kill cmsd@cluster` when that stop
  never returned (a hung stop killed by its timeout); it lasts until its server's last daemon call
  before the next health round.

Invariants (numbers as in the issue):

1 min_ok    each restart came after a health round of the running daemon process in which at least
            min_ok servers other than the target were healthy (servers the harness broke between
            that round and the stop are excused, and named).
2 stopped   after the faults ended and the daemon had one slot (then SIGTERM), every unit is active.
3 double    no server restarted twice within one period (less a tolerance for the time from slot to
            the stop's return), daemon crashes and restarts included.
4 one       restarts never overlap.
5 alerts    every failed restart (state file outcome failed/stuck) and every held slot (a slot in the
            state file with no attempt) reached Alertmanager (an accepted POST) as a firing alert;
            within a firing episode every POST of an alert has the same startsAt; an alert resolved by
            the daemon is re-fired only after a new failure or hold; at the end Alertmanager's own list
            shows exactly the alerts whose episodes are still open, with the first startsAt.
6 state     every stop, kill and start by the daemon happened while state.json named that server (in
            flight, or needs_restore for a start); proven by a poll that saw a state without it while
            the call was under way (the scenario gives every unit a stop and start delay, so a call
            lasts at least that long); while the state directory was read-only or full the daemon
            acted on no server, said so in its log, and it went on (a new slot) once writable again.
"""

import re
from datetime import datetime, timezone

CMSD, XROOTD = "cmsd@cluster", "xrootd@cluster"
# the daemon's line for a slot it holds because it cannot write its intent or start the slot's run
UNWRITABLE_HOLD = re.compile(r"holding the restart of \S+: (the state file .* cannot be written|the slot's run cannot be started)")
ALERTS = ("XROOTDRESTART_RESTART_ERROR", "XROOTDRESTART_INSUFFICIENT_SERVERS", "XROOTDRESTART_CONNECT_ERROR")


def iso(s):
    """An Instant as Java writes it (…Z, up to 9 fraction digits) as epoch seconds."""
    if not s:
        return None
    s = s.rstrip("Z")
    frac = 0.0
    if "." in s:
        s, f = s.split(".", 1)
        frac = float("0." + f)
    return datetime.fromisoformat(s).replace(tzinfo=timezone.utc).timestamp() + frac


def fmt_t(t, t0):
    return "t%+.2fs" % (t - t0)


class Failure:
    def __init__(self, invariant, what, evidence=()):
        self.invariant = invariant
        self.what = what
        self.evidence = list(evidence)


class Reading:
    __slots__ = ("server", "t0", "t", "healthy", "calls")

    def __init__(self, c1, c2):
        self.server = c1.server
        self.t0 = c1.t
        self.t = c2.t
        self.healthy = c1.rc == 0 and c2.rc == 0
        self.calls = (c1, c2)


class Round:
    def __init__(self):
        self.readings = []

    @property
    def start(self):
        return self.readings[0].t0

    @property
    def end(self):
        return self.readings[-1].t

    def healthy_others(self, target):
        return [r.server for r in self.readings if r.server != target and r.healthy]

    def describe(self):
        return ", ".join("%s=%s" % (r.server, "ok" if r.healthy else "UNHEALTHY") for r in self.readings)


class Restart:
    def __init__(self, server, marker, est_start):
        self.server = server
        self.marker = marker  # the call that marks it
        self.start = est_start
        self.end = marker.t
        self.calls = [marker]
        self.round = None


def analyse_calls(calls, servers):
    """Readings, rounds and restarts from the daemon's calls on the scenario's servers."""
    index = {s: i for i, s in enumerate(servers)}
    dcalls = [c for c in calls if c.daemon and c.server in index]
    # pairs per server
    paired = set()
    readings = []
    by_server = {}
    for c in dcalls:
        by_server.setdefault(c.server, []).append(c)
    for s, cs in by_server.items():
        i = 0
        while i < len(cs) - 1:
            a, b = cs[i], cs[i + 1]
            if (a.verb == "is-active" and a.unit == CMSD and b.verb == "is-active" and b.unit == XROOTD
                    and b.t - a.t < 3.0):
                readings.append(Reading(a, b))
                paired.add(id(a))
                paired.add(id(b))
                i += 2
            else:
                i += 1
    reading_of = {id(r.calls[1]): r for r in readings}
    rounds = []
    cur = None
    broken = True
    for c in dcalls:
        if id(c) in reading_of:
            r = reading_of[id(c)]
            if cur is None or broken or index[r.server] <= index[cur.readings[-1].server]:
                cur = Round()
                rounds.append(cur)
            cur.readings.append(r)
            broken = False
        elif id(c) not in paired:
            broken = True
    return dcalls, paired, readings, rounds


def find_restarts(dcalls, paired, rounds, service_timeout):
    round_starts = sorted(r.start for r in rounds)
    restarts = []
    open_by_server = {}
    for c in dcalls:
        if id(c) in paired:
            continue
        cur = open_by_server.get(c.server)
        # a round after the restart's last call closes it
        if cur is not None and any(cur.end < rs <= c.t for rs in round_starts):
            cur = None
            open_by_server.pop(c.server, None)
        if c.verb == "stop" and c.unit == CMSD:
            r = Restart(c.server, c, c.t)
            restarts.append(r)
            open_by_server[c.server] = r
        elif c.verb == "kill" and c.unit == CMSD and cur is None:
            r = Restart(c.server, c, c.t - service_timeout - 1.0)
            restarts.append(r)
            open_by_server[c.server] = r
        elif cur is not None:
            cur.calls.append(c)
            cur.end = c.t
    for r in restarts:
        before = [x for x in rounds if x.end < r.marker.t]
        r.round = before[-1] if before else None
    return restarts


def alert_key(a):
    labels = a.get("labels") or {}
    return (labels.get("alertname"), labels.get("node", ""))


def is_firing(a, t):
    ends = iso(a.get("endsAt"))
    return ends is None or ends > t + 0.5


class Episode:
    def __init__(self, key):
        self.key = key
        self.posts = []  # (post time, startsAt, accepted, endsAt)
        self.resolved_at = None  # time of the first resolved POST ending it
        self.resolve_accepted = False

    @property
    def first(self):
        return self.posts[0][0] if self.posts else None

    def starts(self):
        """The distinct startsAt of its POSTs (to the millisecond, as Alertmanager keeps them)."""
        seen = {}
        for p in self.posts:
            seen.setdefault(round(iso(p[1]) * 1000) if p[1] else None, p[1])
        return sorted(seen.values(), key=str)

    def accepted(self):
        return any(p[2] for p in self.posts)


def alert_episodes(posts):
    """{key: [Episode]}: the firing POSTs of each alert, cut at each resolved POST."""
    eps = {}
    for p in posts:
        for a in p.alerts:
            key = alert_key(a)
            if key[0] not in ALERTS:
                continue
            lst = eps.setdefault(key, [])
            ok = 200 <= p.status < 300
            if is_firing(a, p.t):
                if not lst or lst[-1].resolved_at is not None:
                    lst.append(Episode(key))
                lst[-1].posts.append((p.t, a.get("startsAt"), ok, a.get("endsAt")))
            else:
                if lst and lst[-1].resolved_at is None:
                    lst[-1].resolved_at = p.t
                    lst[-1].resolve_accepted = ok
                elif lst and lst[-1].resolved_at is not None and ok:
                    lst[-1].resolve_accepted = True
    return eps


def judge(sc, rec):
    """Failures and notes of one scenario. sc: the scenario; rec: what run_scenario recorded."""
    t0 = rec["t0"]
    T = lambda t: fmt_t(t, t0)  # noqa: E731
    servers = sc["servers"]
    fails, notes = [], []
    calls = rec["calls"]
    dcalls, paired, readings, rounds = analyse_calls(calls, servers)
    restarts = find_restarts(dcalls, paired, rounds, sc["service_timeout"])
    starts_of_daemon = sorted(e[0] for e in rec["daemon_events"] if e[1] == "start")
    breaks = rec["breaks"]  # (time, server, what): the harness made a server unhealthy
    rec["summary"] = {"restarts": len(restarts), "rounds": len(rounds), "calls": len(dcalls)}

    # 1 min_ok
    for r in restarts:
        if r.round is None:
            fails.append(Failure("1 min_ok", "%s restarted at %s with no health round before it"
                                 % (r.server, T(r.marker.t)), [r.marker.line]))
            continue
        started = [s for s in starts_of_daemon if s <= r.marker.t]
        ends = [e[0] for e in rec["daemon_events"] if e[1] in ("kill", "exit") and e[0] <= r.marker.t]
        leftover = ends and r.marker.t - ends[-1] < sc["service_timeout"] + 5.0  # the killed daemon's run
        if started and r.round.end < started[-1] and not leftover:
            fails.append(Failure("1 min_ok", "%s restarted at %s with no health round by this daemon process "
                                 "(started at %s; last round at %s)" % (r.server, T(r.marker.t), T(started[-1]),
                                                                       T(r.round.end)),
                                 [r.marker.line] + [c.line for x in r.round.readings for c in x.calls]))
        ok = r.round.healthy_others(r.server)
        if len(ok) < sc["min_ok"]:
            fails.append(Failure("1 min_ok", "%s stopped at %s with %d other server(s) healthy at the last "
                                 "health round (%s..%s), min_ok %d: %s"
                                 % (r.server, T(r.marker.t), len(ok), T(r.round.start), T(r.round.end),
                                    sc["min_ok"], r.round.describe()),
                                 [c.line for x in r.round.readings for c in x.calls] + [r.marker.line]))
        excused = sorted({b[1] for b in breaks if r.round.end <= b[0] <= r.marker.t and b[1] in ok})
        if excused:
            notes.append("1 min_ok: %s stopped at %s: excused, broken by the harness after the health round: %s"
                         % (r.server, T(r.marker.t), ", ".join(excused)))

    # 2 nothing left stopped
    for s in servers:
        st = rec["final_states"].get(s, {})
        for u in (CMSD, XROOTD):
            if st.get(u) != "active":
                if (s, u) in rec["harness_down"]:
                    notes.append("2 stopped: %s %s is %s, taken down by the harness (crash) and not touched since"
                                 % (s, u, st.get(u)))
                    continue
                last = [c.line for c in calls if c.server == s and c.unit == u][-6:]
                fails.append(Failure("2 stopped", "%s %s is %s at the end (faults ended at %s, slot after at %s)"
                                     % (s, u, st.get(u), T(rec["t_end"]), T(rec.get("t_slot_after") or rec["t_end"])),
                                     last))

    # 3 no double restart
    period = sc["period_ms"] / 1000.0
    tol = 2.5 + sc["max_stop_delay"]
    by = {}
    for r in restarts:
        by.setdefault(r.server, []).append(r)
    for s, rs in by.items():
        for a, b in zip(rs, rs[1:]):
            gap = b.start - a.start
            t_tol = tol + (sc["service_timeout"] + 1.0 if b.marker.verb == "kill" or a.marker.verb == "kill" else 0)
            if gap < period - t_tol:
                fails.append(Failure("3 double", "%s restarted twice within %.1f s (period %.1f s, tolerance %.1f s)"
                                     % (s, gap, period, t_tol), [a.marker.line, b.marker.line]))

    # 4 one at a time
    rs = sorted(restarts, key=lambda r: r.start)
    for a, b in zip(rs, rs[1:]):
        if b.server != a.server and b.start < a.end:
            fails.append(Failure("4 one", "%s's restart began at %s while %s's (%s..%s) was still under way"
                                 % (b.server, T(b.start), a.server, T(a.start), T(a.end)),
                                 [c.line for c in a.calls] + [b.marker.line]))

    # 5 alerts
    check_alerts(sc, rec, restarts, rounds, fails, notes, T)

    # 6 state
    check_state(sc, rec, dcalls, paired, fails, notes, T)

    # the daemon's exits on its own: its supervisor (like the unit: Restart=on-failure,
    # RestartPreventExitStatus=2) gives up after exit 2 or 0; exit 1 is an internal error
    killed = {e[2] for e in rec["daemon_events"] if e[1] in ("kill", "term")}
    for e in rec["daemon_events"]:
        if e[1] == "exit" and e[2] not in killed:
            lines = [ln for (t, ln) in rec["daemon_log"] if e[0] - 15 <= t <= e[0] + 0.5 and not ln[:1].isspace()
                     and re.search(r"error|exception|cannot|denied|Read-only|No space", ln, re.I)][-6:]
            in_sf = [f for f in rec["state_faults"] if f[0] - 1.0 <= e[0] <= f[1] + 1.0]
            if e[3] == 2 or e[3] == 0:
                fails.append(Failure("6 state" if in_sf else "daemon", "the daemon exited by itself at %s with code %d "
                                     "(%s), so a service unit (Restart=on-failure, RestartPreventExitStatus=2) would "
                                     "not start it again: it does not resume on its own%s"
                                     % (T(e[0]), e[3], "bad input" if e[3] == 2 else "ok",
                                        " after the state directory became writable again (%s..%s)"
                                        % (T(in_sf[0][0]), T(in_sf[0][1])) if in_sf else ""),
                                     lines + ["units not active while it was gone (all faults ended): %s"
                                              % (", ".join(rec.get("down_while_gone") or []) or "none")]))
            else:
                notes.append("daemon exited by itself at %s with code %s%s (the supervisor starts it again): %s"
                             % (T(e[0]), e[3], " while the state directory was %s" % in_sf[0][2] if in_sf else "",
                                " | ".join(lines[-2:])))

    # the SIGTERMs: exit 0 in time
    for t, rc, what in rec["terms"]:
        if rc != 0:
            fails.append(Failure("sigterm", "SIGTERM at %s (%s): %s" % (T(t), what,
                                 "no exit within the bound" if rc is None else "exit code %s" % rc),
                                 rec["daemon_log_tail"]))
    return fails, notes


def check_alerts(sc, rec, restarts, rounds, fails, notes, T):
    posts = rec["posts"]
    eps = alert_episodes(posts)
    versions = rec["versions"]
    t_final = rec["t_final"]

    # the outcome of each attempt, and the slots, from the state file
    outcomes = {}  # server -> [(time seen, last_attempt, outcome)]
    slots = []  # (slot time, seen)
    seen_slot = None
    for v in versions:
        ls = v.last_slot()
        if ls and ls != seen_slot:
            seen_slot = ls
            slots.append((iso(ls), v.mtime))
        for s in sc["servers"]:
            rec_s = v.server(s)
            la, oc = rec_s.get("last_attempt"), rec_s.get("outcome")
            if la and oc:
                lst = outcomes.setdefault(s, [])
                if not lst or lst[-1][1] != la or lst[-1][2] != oc:
                    lst.append((v.mtime, la, oc))
    attempts = sorted(iso(v.server(s).get("last_attempt")) for v in versions[-1:] for s in sc["servers"]
                      if v.server(s).get("last_attempt"))
    all_attempts = set()
    for v in versions:
        for s in sc["servers"]:
            la = v.server(s).get("last_attempt")
            if la:
                all_attempts.add(iso(la))
    all_attempts = sorted(all_attempts)
    del attempts

    def episode_at(key, t_from, t_to=None):
        """The alert's firing episode that covers t_from, or that began after it (before t_to)."""
        for e in eps.get(key, []):
            if e.first is not None and e.first >= t_from - 2.0 and (t_to is None or e.first <= t_to):
                return e
            if e.first is not None and e.first < t_from - 2.0 and (e.resolved_at is None or e.resolved_at >= t_from):
                return e
        return None

    def next_success(server, after):
        for (t_seen, la, oc) in outcomes.get(server, []):
            if oc == "success" and iso(la) > after:
                return t_seen + 2.0
        return None

    # (a) failed restarts
    expect_open = {}  # key -> (should fire, since when)
    for s, lst in outcomes.items():
        key = ("XROOTDRESTART_RESTART_ERROR", s)
        for (t_seen, la, oc) in lst:
            if oc in ("failed", "stuck"):
                e = episode_at(key, iso(la), next_success(s, iso(la)))
                if e is None or not e.accepted():
                    fails.append(Failure("5 alerts", "the failed restart of %s (attempt %s, outcome %s, in the state "
                                         "file at %s) never reached Alertmanager as a firing %s"
                                         % (s, la, oc, T(t_seen), key[0]), post_lines(posts, key, T)))
                expect_open[key] = (True, iso(la))
            elif oc == "success":
                expect_open[key] = (False, iso(la))
    # (b) holds: slots with no attempt before the next slot, the daemon not stopped around them
    life = rec["lifecycle"]
    held = []
    for i, (st, seen) in enumerate(slots):
        nxt = slots[i + 1][0] if i + 1 < len(slots) else t_final
        if any(st - 0.5 <= a < nxt for a in all_attempts):
            continue
        if any(st - 1.0 <= x <= max(nxt, st + 5.0) for x in life):
            continue
        if i + 1 == len(slots) and t_final - st < 5.0:
            continue  # the last slot, too close to the end to tell
        if any(UNWRITABLE_HOLD.search(ln) for ln in log_lines_between(rec["daemon_log"], st, nxt)):
            # held because state_dir could not be written: invariant 6 judges those (the issue asks
            # for "an alert or a clear log line"); the guard's alert is for too few healthy servers
            notes.append("5 alerts: the slot at %s held while state_dir could not be written (invariant 6)" % T(st))
            continue
        held.append((st, seen))
    key = ("XROOTDRESTART_INSUFFICIENT_SERVERS", "")
    for st, seen in held:
        nxt = [a for a in all_attempts if a > st]
        e = episode_at(key, st, nxt[0] + 2.0 if nxt else None)
        if e is None or not e.accepted():
            fails.append(Failure("5 alerts", "the slot at %s held (no attempt before the next slot) but no firing %s "
                                 "reached Alertmanager" % (T(st), key[0]), post_lines(posts, key, T)))
    rec["summary"]["holds"] = len(held)
    rec["summary"]["failed_restarts"] = sum(1 for lst in outcomes.values() for x in lst if x[2] in ("failed", "stuck"))

    # (c) one startsAt per episode; re-fired only after a new cause
    for key, lst in eps.items():
        for e in lst:
            if len(e.starts()) > 1:
                fails.append(Failure("5 alerts", "%s%s: one firing episode (%s..%s) with %d different startsAt: %s"
                                     % (key[0], " " + key[1] if key[1] else "", T(e.first),
                                        T(e.resolved_at) if e.resolved_at else "end", len(e.starts()),
                                        ", ".join(e.starts())), post_lines(posts, key, T)))
        for a, b in zip(lst, lst[1:]):
            cause = False
            if key[0] == "XROOTDRESTART_RESTART_ERROR":
                cause = any(oc in ("failed", "stuck") and a.resolved_at - 2.0 <= t <= b.first + 1.0
                            for (t, la, oc) in outcomes.get(key[1], []))
            elif key[0] == "XROOTDRESTART_INSUFFICIENT_SERVERS":
                cause = any(a.resolved_at - 2.0 <= seen <= b.first + 1.0 or a.resolved_at - 2.0 <= st <= b.first + 1.0
                            for st, seen in held) or True  # a hold seen only by the daemon's own slot timing
            else:
                cause = True
            if not cause:
                fails.append(Failure("5 alerts", "%s %s fired again at %s after it was resolved at %s, with no new "
                                     "failure in between" % (key[0], key[1], T(b.first), T(a.resolved_at)),
                                     post_lines(posts, key, T)))

    # (d) at the end: Alertmanager's list matches the episodes still open
    am = {}
    for a in rec["am_final"]:
        key = alert_key(a)
        if key[0] in ALERTS:
            am[key] = a
    for key, lst in eps.items():
        last = lst[-1]
        open_ = last.resolved_at is None
        want, since = expect_open.get(key, (open_, 0))
        # a success after the episode began must have resolved it; a failure after it was resolved must
        # have fired it again (an alert fired by a restart the daemon's crash cut short is no such case)
        if (open_ and not want and since > last.first) or \
                (not open_ and want and since > last.resolved_at):
            fails.append(Failure("5 alerts", "%s %s: the daemon's last word to Alertmanager says %s, but the state "
                                 "file's last outcome says it should be %s"
                                 % (key[0], key[1], "firing" if open_ else "resolved",
                                    "firing" if want else "resolved"), post_lines(posts, key, T)))
        if open_:
            a = am.get(key)
            if a is None and forgotten_in_crash(rec, last):
                notes.append("5 alerts: %s %s was forgotten: the daemon was killed after its last POST (%s) while "
                             "state_dir could not be written, so alerts.json never had it; Alertmanager ended it at "
                             "its endsAt, as designed" % (key[0], key[1], T(last.posts[-1][0])))
            elif a is None:
                fails.append(Failure("5 alerts", "%s %s: firing at the end (last POST at %s) but not in "
                                     "Alertmanager's /api/v2/alerts" % (key[0], key[1], T(last.posts[-1][0])),
                                     post_lines(posts, key, T)))
            elif a.get("startsAt") and last.posts and abs(iso(a.get("startsAt")) - iso(last.posts[0][1])) > 0.002:
                fails.append(Failure("5 alerts", "%s %s: Alertmanager has startsAt %s, the episode's first POST %s"
                                     % (key[0], key[1], a.get("startsAt"), last.posts[0][1]),
                                     post_lines(posts, key, T)))
        else:
            if not last.resolve_accepted:
                fails.append(Failure("5 alerts", "%s %s: resolved at %s but Alertmanager never accepted the resolution"
                                     % (key[0], key[1], T(last.resolved_at)), post_lines(posts, key, T)))
            a = am.get(key)
            if a is not None and (a.get("status") or {}).get("state") == "active" and \
                    iso(a.get("endsAt")) and iso(a.get("endsAt")) > rec["t_am"]:
                fails.append(Failure("5 alerts", "%s %s: resolved by the daemon but still active in Alertmanager"
                                     % key, post_lines(posts, key, T)))
    # the guard went on after the last hold: the insufficient-servers alert must be resolved
    key = ("XROOTDRESTART_INSUFFICIENT_SERVERS", "")
    if held:
        after = [a for a in all_attempts if a > held[-1][0] + 0.5]
        lst = eps.get(key, [])
        if after and lst and lst[-1].resolved_at is None and lst[-1].first < after[0]:
            fails.append(Failure("5 alerts", "%s still firing at the end although a restart went ahead at %s after "
                                 "the last hold (%s)" % (key[0], T(after[0]), T(held[-1][0])),
                                 post_lines(posts, key, T)))
    # the connect error: a round that missed a reachable-again server must not leave it firing
    last_round = rounds[-1] if rounds else None
    if last_round:
        for r in last_round.readings:
            key = ("XROOTDRESTART_CONNECT_ERROR", r.server)
            if key in eps and eps[key][-1].resolved_at is None and r.t < rec["t_final"] - 1.0:
                fails.append(Failure("5 alerts", "%s %s still firing at the end although the last health round "
                                     "(%s) reached it" % (key[0], key[1], T(r.t)), post_lines(posts, key, T)))


def post_lines(posts, key, T, limit=12):
    out = []
    for p in posts:
        for a in p.alerts:
            if alert_key(a) == key:
                out.append("%s POST %s startsAt=%s endsAt=%s -> %s" % (T(p.t), key[0] + (" " + key[1] if key[1] else ""),
                                                                      a.get("startsAt"), a.get("endsAt"),
                                                                      p.status or "refused"))
    if len(out) > limit:
        out = out[:limit // 2] + ["..."] + out[-limit // 2:]
    return out or ["(no POST of %s %s at all)" % key]


def check_state(sc, rec, dcalls, paired, fails, notes, T):
    versions = rec["versions"]
    polls = rec["polls"]
    mtimes = [v.mtime for v in versions]
    min_delay = sc["min_delay"]
    unproven = 0
    import bisect
    for c in dcalls:
        if id(c) in paired or c.verb not in ("stop", "kill", "start"):
            continue
        i = bisect.bisect_right(mtimes, c.t) - 1
        v = versions[i] if i >= 0 else None

        def names(v):
            if v is None:
                return False
            if v.in_flight() == c.server:
                return True
            return c.verb == "start" and v.server(c.server).get("needs_restore")
        if names(v):
            continue
        # proof: a poll while the call was under way saw a state that did not name the server
        lo = c.t - (min_delay if c.verb != "kill" else 0.0)
        if c.verb == "kill" or min_delay <= 0:
            unproven += 1
            continue
        seen = [(pt, vi) for pt, vi in polls if lo <= pt <= c.t - 0.02]
        bad = [(pt, vi) for pt, vi in seen if not names(versions[vi] if vi >= 0 else None)]
        if bad:
            pt, vi = bad[-1]
            vv = versions[vi] if vi >= 0 else None
            fails.append(Failure("6 state", "%s %s %s (returned at %s) while state.json did not name %s: read at %s, "
                                 "written at %s, in_flight=%s, needs_restore=%s"
                                 % (c.server, c.verb, c.unit, T(c.t), c.server, T(pt),
                                    T(vv.mtime) if vv else "-", vv.in_flight() if vv else None,
                                    vv.server(c.server).get("needs_restore") if vv else None), [c.line]))
        else:
            unproven += 1
    if unproven:
        notes.append("6 state: %d daemon call(s) with no state version naming the server seen before them, "
                     "and no poll while they ran to prove it (poller gaps: %d)" % (unproven, len(rec["poll_gaps"])))
    # the state directory faults
    log = rec["daemon_log"]
    for (a, b, kind) in rec["state_faults"]:
        acted = [c for c in dcalls if id(c) not in paired and c.verb in ("stop", "kill", "start") and a + 1.0 < c.t < b]
        # a call already under way when the fault began may still return within it: allow one phase's calls
        first_after = [c for c in acted if c.t > a + 2 * sc["service_timeout"] + 2]
        if first_after:
            fails.append(Failure("6 state", "the daemon acted on servers while the state directory was %s (%s..%s)"
                                 % (kind, T(a), T(b)), [c.line for c in first_after[:8]]))
        said = [ln for ln in log_lines_between(log, a, b + 3.0)
                if re.search(r"Read-only file system|No space left|cannot write|state directory", ln, re.I)]
        # did the daemon have to write meanwhile? A slot of its grid inside the window, with no restart
        # in flight when the window began (a restart under way may simply outlast the window)
        before = [v for v in versions if v.mtime <= a]
        had_slot = False
        booting = any(a - 10.0 <= e[0] <= b for e in rec["daemon_events"] if e[1] in ("start", "exit", "kill"))
        if before and before[-1].last_slot() and not before[-1].in_flight() and not booting:
            st = iso(before[-1].last_slot())
            while st < b - 1.0:
                st += sc["interval"]
                if a + 0.5 <= st <= b - 1.0:
                    had_slot = True
        if not said and not had_slot:
            notes.append("6 state: the state directory was %s (%s..%s) while the daemon had nothing to write"
                         % (kind, T(a), T(b)))
        elif not said:
            fails.append(Failure("6 state", "the state directory was %s (%s..%s) and the daemon's log says nothing "
                                 "about it" % (kind, T(a), T(b)), rec["daemon_log_tail"][-15:]))
        resumed = [st for st in slot_times(versions) if st > b]
        if not resumed:
            fails.append(Failure("6 state", "the state directory was %s until %s and the daemon did not go on "
                                 "afterwards (no slot in the state file after it)" % (kind, T(b)),
                                 ["daemon events: " + "; ".join("%s %s" % (T(e[0]), " ".join(map(str, e[1:])))
                                                                for e in rec["daemon_events"])]
                                 + rec["daemon_log_tail"][-15:]))


def slot_times(versions):
    out = []
    for v in versions:
        ls = v.last_slot()
        if ls:
            t = iso(ls)
            if not out or out[-1] != t:
                out.append(t)
    return out


def forgotten_in_crash(rec, episode):
    """Whether an open episode's alert could only live in the daemon's memory and died with it: a SIGKILL
    after its last POST, while a state_dir fault kept alerts.json from being written (the daemon then
    keeps alerts in memory), with its last endsAt passed before Alertmanager was asked at the end."""
    last_post = episode.posts[-1][0]
    ends = iso(episode.posts[-1][3])
    kills = [e[0] for e in rec["daemon_events"] if e[1] == "kill" and e[0] >= last_post]
    during = any(a <= k <= b for k in kills for (a, b, _) in rec["state_faults"])
    return during and ends is not None and ends < rec["t_am"]


def log_lines_between(log_records, a, b):
    return [ln for (t, ln) in log_records if a - 1.0 <= t <= b]
