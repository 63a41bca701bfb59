package io.xrootdrestart.restart;

import io.xrootdrestart.schedule.Schedule;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.ServerRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the daemon did and will do, as one ordered document: for {@code status --json}, {@code plan} and
 * the daemon's {@code /status} page. Reads the state and the admin's controls only.
 */
public record StatusReport(List<Slot> slots, Map<String, Object> document) {

  public static StatusReport of(DaemonState state, Controls controls, List<String> servers, Daemon.Settings settings,
      Instant now) {
    List<String> excluded = controls.excludedOf(servers, now);
    List<Slot> slots = servers.isEmpty() ? List.of() : new Schedule(settings.period(), settings.window())
        .upcoming(servers, excluded, state.lastAttempts(), state.lastSlot(), now, servers.size() - excluded.size());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("now", now.toString());
    doc.put("interval_seconds", settings.period().toSeconds() / Math.max(1, servers.size()));
    doc.put("paused", controls.pause().map(p -> ordered("reason", p.reason(), "since", p.since().toString()))
        .orElse(null));
    Map<String, Object> excludedDoc = new LinkedHashMap<>();
    for (String n : excluded) {
      Controls.Exclusion e = controls.excluded().get(n);
      excludedDoc.put(n, ordered("since", e.since().toString(), "until", e.until().map(Instant::toString).orElse(null),
          "reason", e.reason()));
    }
    doc.put("excluded", excludedDoc);
    doc.put("in_flight", state.inFlight().map(f -> ordered("server", f.server(), "phase", f.phase(),
        "since", f.since().toString())).orElse(null));
    doc.put("next_slots", slots.stream().map(s -> ordered("server", s.server(), "time", s.time().toString())).toList());
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
      m.put("next_slot", slots.stream().filter(s -> s.server().equals(n)).findFirst().map(s -> s.time().toString())
          .orElse(null));
      byServer.put(n, m);
    }
    doc.put("servers", byServer);
    return new StatusReport(slots, doc);
  }

  /** A map that keeps the order its keys are given in, for stable JSON. */
  private static Map<String, Object> ordered(Object... keyValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }
}
