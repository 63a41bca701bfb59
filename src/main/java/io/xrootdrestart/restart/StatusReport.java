package io.xrootdrestart.restart;

import io.xrootdrestart.alerts.Alert;
import io.xrootdrestart.schedule.Schedule;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.ServerRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the daemon did and will do, as one ordered document: for {@code status --json}, {@code plan}
 * and the daemon's {@code /status} page. Reads the state and the admin's controls only; the
 * daemon's {@code /status} adds what only a running daemon knows ({@link Live}).
 */
public record StatusReport(List<Slot> slots, Map<String, Object> document) {

  /**
   * What the running daemon adds for its status page: the rotations (today one, the inventory
   * group), each with its health, guard, restart under way and timeline; and its firing alerts.
   *
   * @param rotation the rotation's name (the inventory group)
   */
  public record Live(
      String cluster, String rotation, Activity.Snapshot activity, List<Alert> alerts) {}

  public static StatusReport of(
      DaemonState state,
      Controls controls,
      List<String> servers,
      Daemon.Settings settings,
      Instant now) {
    return of(state, controls, servers, settings, now, Optional.empty());
  }

  /** The report; with {@code live}, also {@code cluster}, {@code rotations} and {@code alerts}. */
  public static StatusReport of(
      DaemonState state,
      Controls controls,
      List<String> servers,
      Daemon.Settings settings,
      Instant now,
      Optional<Live> live) {
    List<String> excluded = controls.excludedOf(servers, now);
    List<Slot> slots =
        servers.isEmpty()
            ? List.of()
            : new Schedule(settings.period(), settings.window())
                .upcoming(
                    servers,
                    excluded,
                    state.lastAttempts(),
                    state.lastSlot(),
                    now,
                    servers.size() - excluded.size());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("now", now.toString());
    doc.put("interval_seconds", settings.period().toSeconds() / Math.max(1, servers.size()));
    doc.put("paused", pause(controls));
    Map<String, Object> excludedDoc = new LinkedHashMap<>();
    for (String n : excluded) {
      excludedDoc.put(n, exclusion(controls.excluded().get(n)));
    }
    doc.put("excluded", excludedDoc);
    doc.put(
        "in_flight",
        state
            .inFlight()
            .map(
                f ->
                    ordered(
                        "server", f.server(), "phase", f.phase(), "since", f.since().toString()))
            .orElse(null));
    doc.put(
        "next_slots",
        slots.stream()
            .map(s -> ordered("server", s.server(), "time", s.time().toString()))
            .toList());
    Map<String, Object> byServer = new LinkedHashMap<>();
    for (String n : servers) {
      ServerRecord r = state.server(n);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("last_attempt", r.lastAttempt().map(Instant::toString).orElse(null));
      m.put("last_success", r.lastSuccess().map(Instant::toString).orElse(null));
      m.put("outcome", r.outcome());
      m.put("message", r.message());
      m.put("needs_restore", r.needsRestore());
      m.put("excluded", excluded.contains(n));
      m.put("next_slot", nextSlot(slots, n));
      byServer.put(n, m);
    }
    doc.put("servers", byServer);
    live.ifPresent(
        l -> {
          doc.put("cluster", l.cluster());
          doc.put(
              "rotations",
              List.of(rotation(state, controls, excluded, servers, settings, now, slots, l)));
          doc.put(
              "alerts",
              l.alerts().stream()
                  .map(
                      a ->
                          ordered(
                              "name",
                              a.name().label(),
                              "node",
                              a.node().orElse(null),
                              "since",
                              a.startsAt().toString(),
                              "summary",
                              a.summary(),
                              "description",
                              a.description(),
                              "run_dir",
                              a.runDir().orElse(null)))
                  .toList());
        });
    return new StatusReport(slots, doc);
  }

  /**
   * The live documents of several rotations as one for the status page: every rotation, server,
   * slot (in time order) and alert; {@code in_flight} is the first rotation's restart under way.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> merge(List<Map<String, Object>> docs) {
    if (docs.size() == 1) {
      return docs.get(0);
    }
    Map<String, Object> doc = new LinkedHashMap<>(docs.get(0));
    Map<String, Object> servers = new LinkedHashMap<>();
    List<Map<String, Object>> slots = new java.util.ArrayList<>();
    List<Object> rotations = new java.util.ArrayList<>();
    Object inFlight = null;
    for (Map<String, Object> d : docs) {
      servers.putAll((Map<String, Object>) d.get("servers"));
      slots.addAll((List<Map<String, Object>>) d.get("next_slots"));
      rotations.addAll((List<Object>) d.getOrDefault("rotations", List.of()));
      inFlight = inFlight != null ? inFlight : d.get("in_flight");
    }
    slots.sort(java.util.Comparator.comparing(m -> (String) m.get("time")));
    doc.remove("interval_seconds"); // each rotation has its own
    doc.put("in_flight", inFlight);
    doc.put("next_slots", slots);
    doc.put("servers", servers);
    doc.put("rotations", rotations);
    return doc;
  }

  /** One rotation, as the status page shows it. */
  private static Map<String, Object> rotation(
      DaemonState state,
      Controls controls,
      List<String> excluded,
      List<String> servers,
      Daemon.Settings settings,
      Instant now,
      List<Slot> slots,
      Live live) {
    Activity.Snapshot a = live.activity();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("name", live.rotation());
    r.put("min_ok", settings.minOk());
    r.put("period_seconds", settings.period().toSeconds());
    r.put("interval_seconds", settings.period().toSeconds() / Math.max(1, servers.size()));
    r.put("cmsd_wait_seconds", settings.cmsdWait().toSeconds());
    r.put(
        "guard",
        a.guard()
            .map(
                g ->
                    ordered(
                        "decision",
                        g.proceeds() ? "proceed" : "hold",
                        "target",
                        g.target(),
                        "reason",
                        g.reason(),
                        "at",
                        g.at().toString()))
            .orElse(null));
    r.put("paused", pause(controls));
    r.put(
        "excluded",
        excluded.stream()
            .map(
                n -> {
                  Map<String, Object> m = ordered("server", n);
                  m.putAll(exclusion(controls.excluded().get(n)));
                  return m;
                })
            .toList());
    r.put("health_checked", a.health().map(h -> h.at().toString()).orElse(null));
    r.put("restart", a.current().map(StatusReport::restart).orElse(null));
    List<Map<String, Object>> list = new java.util.ArrayList<>();
    for (String n : servers) {
      ServerRecord rec = state.server(n);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", n);
      m.put(
          "health",
          a.health()
              .flatMap(h -> h.health().server(n))
              .map(
                  h ->
                      ordered(
                          "healthy",
                          h.healthy(),
                          "text",
                          h.describe(),
                          "cmsd",
                          h.cmsd().orElse(null),
                          "xrootd",
                          h.xrootd().orElse(null),
                          "problem",
                          h.problem().orElse(null)))
              .orElse(null));
      m.put("restarting", a.current().map(c -> c.server().equals(n)).orElse(false));
      m.put(
          "last_restart",
          a.last(n)
              .map(StatusReport::restart)
              .orElse(
                  rec.lastAttempt()
                      .filter(
                          t ->
                              !rec.outcome().isEmpty()
                                  && !rec.outcome().equals(Activity.IN_PROGRESS))
                      .map(
                          t ->
                              ordered(
                                  "server",
                                  n,
                                  "started",
                                  t.toString(),
                                  "finished",
                                  null,
                                  "duration_seconds",
                                  null,
                                  "outcome",
                                  rec.outcome(),
                                  "message",
                                  rec.message(),
                                  "failed_step",
                                  null,
                                  "run_dir",
                                  null,
                                  "steps",
                                  List.of()))
                      .orElse(null)));
      m.put("last_success", rec.lastSuccess().map(Instant::toString).orElse(null));
      m.put("needs_restore", rec.needsRestore());
      m.put("excluded", excluded.contains(n));
      m.put("next_slot", nextSlot(slots, n));
      list.add(m);
    }
    r.put("servers", list);
    r.put(
        "next_slots",
        slots.stream()
            .map(s -> ordered("server", s.server(), "time", s.time().toString()))
            .toList());
    r.put("timeline_from", now.minus(Activity.WINDOW).toString());
    r.put("timeline", a.recent().stream().map(StatusReport::restart).toList());
    return r;
  }

  private static Map<String, Object> pause(Controls controls) {
    return controls
        .pause()
        .map(p -> ordered("reason", p.reason(), "since", p.since().toString()))
        .orElse(null);
  }

  private static Map<String, Object> exclusion(Controls.Exclusion e) {
    return ordered(
        "since",
        e.since().toString(),
        "until",
        e.until().map(Instant::toString).orElse(null),
        "reason",
        e.reason());
  }

  private static Map<String, Object> restart(Activity.Restart r) {
    return ordered(
        "server",
        r.server(),
        "started",
        r.start().toString(),
        "finished",
        r.end().map(Instant::toString).orElse(null),
        "duration_seconds",
        r.end().map(e -> Duration.between(r.start(), e).toMillis() / 1000.0).orElse(null),
        "outcome",
        r.outcome(),
        "message",
        r.message(),
        "failed_step",
        r.failedStep().orElse(null),
        "run_dir",
        r.runDir().map(Path::toString).orElse(null),
        "steps",
        r.steps().stream()
            .map(
                s ->
                    ordered(
                        "step",
                        s.name(),
                        "started",
                        s.start().toString(),
                        "finished",
                        s.end().map(Instant::toString).orElse(null),
                        "outcome",
                        s.outcome().orElse(null),
                        "until",
                        s.until().map(Instant::toString).orElse(null),
                        "run_dir",
                        s.runDir().map(Path::toString).orElse(null)))
            .toList());
  }

  /** A map that keeps the order its keys are given in, for stable JSON. */
  private static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  /** When {@code server}'s next slot is, of {@code slots}, or null. */
  private static String nextSlot(List<Slot> slots, String server) {
    return slots.stream()
        .filter(s -> s.server().equals(server))
        .findFirst()
        .map(s -> s.time().toString())
        .orElse(null);
  }
}
