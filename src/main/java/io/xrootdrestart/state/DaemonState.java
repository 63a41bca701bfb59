package io.xrootdrestart.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the daemon persists between runs: when the last slot was scheduled, each server's
 * record, the restart in flight, if any, and the Alertmanager silences it made and has not yet
 * expired. Immutable; each change returns a new state.
 *
 * @param silences each silence the daemon made and has not expired yet: its id, and the server
 */
public record DaemonState(
    Optional<Instant> lastSlot,
    Map<String, ServerRecord> servers,
    Optional<InFlight> inFlight,
    Map<String, String> silences) {
  public static final DaemonState EMPTY =
      new DaemonState(Optional.empty(), Map.of(), Optional.empty(), Map.of());

  public DaemonState {
    Objects.requireNonNull(lastSlot, "lastSlot");
    servers = Map.copyOf(servers);
    Objects.requireNonNull(inFlight, "inFlight");
    silences = Map.copyOf(silences);
  }

  /** With the silence {@code id} of {@code server}'s alerts. */
  public DaemonState withSilence(String id, String server) {
    Map<String, String> m = new LinkedHashMap<>(silences);
    m.put(id, server);
    return new DaemonState(lastSlot, servers, inFlight, m);
  }

  /** Without the silence {@code id} (it is expired). */
  public DaemonState withoutSilence(String id) {
    Map<String, String> m = new LinkedHashMap<>(silences);
    m.remove(id);
    return new DaemonState(lastSlot, servers, inFlight, m);
  }

  public ServerRecord server(String name) {
    return servers.getOrDefault(name, ServerRecord.NEVER);
  }

  public DaemonState with(String name, ServerRecord record) {
    Map<String, ServerRecord> m = new LinkedHashMap<>(servers);
    m.put(name, record);
    return new DaemonState(lastSlot, m, inFlight, silences);
  }

  public DaemonState withLastSlot(Instant slot) {
    return new DaemonState(Optional.of(slot), servers, inFlight, silences);
  }

  public DaemonState withInFlight(Optional<InFlight> flight) {
    return new DaemonState(lastSlot, servers, flight, silences);
  }

  /**
   * What concerns {@code names} only: their records, the restart in flight if it is one of theirs,
   * and their silences (a rotation's share of the fleet's single state file).
   */
  public DaemonState only(java.util.Collection<String> names) {
    Map<String, ServerRecord> m = new LinkedHashMap<>(servers);
    m.keySet().retainAll(names);
    Map<String, String> s = new LinkedHashMap<>(silences);
    s.values().retainAll(names);
    return new DaemonState(lastSlot, m, inFlight.filter(f -> names.contains(f.server())), s);
  }

  /** Last attempts by server, for the schedule. */
  public Map<String, Instant> lastAttempts() {
    Map<String, Instant> m = new LinkedHashMap<>();
    servers.forEach((name, r) -> r.lastAttempt().ifPresent(t -> m.put(name, t)));
    return m;
  }
}
