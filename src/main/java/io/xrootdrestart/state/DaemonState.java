package io.xrootdrestart.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the daemon persists between runs: when the last slot was scheduled, each server's
 * record, and the restart in flight, if any. Immutable; each change returns a new state.
 */
public record DaemonState(
    Optional<Instant> lastSlot, Map<String, ServerRecord> servers, Optional<InFlight> inFlight) {
  public static final DaemonState EMPTY =
      new DaemonState(Optional.empty(), Map.of(), Optional.empty());

  public DaemonState {
    Objects.requireNonNull(lastSlot, "lastSlot");
    servers = Map.copyOf(servers);
    Objects.requireNonNull(inFlight, "inFlight");
  }

  public ServerRecord server(String name) {
    return servers.getOrDefault(name, ServerRecord.NEVER);
  }

  public DaemonState with(String name, ServerRecord record) {
    Map<String, ServerRecord> m = new LinkedHashMap<>(servers);
    m.put(name, record);
    return new DaemonState(lastSlot, m, inFlight);
  }

  public DaemonState withLastSlot(Instant slot) {
    return new DaemonState(Optional.of(slot), servers, inFlight);
  }

  public DaemonState withInFlight(Optional<InFlight> flight) {
    return new DaemonState(lastSlot, servers, flight);
  }

  /** Last attempts by server, for the schedule. */
  public Map<String, Instant> lastAttempts() {
    Map<String, Instant> m = new LinkedHashMap<>();
    servers.forEach((name, r) -> r.lastAttempt().ifPresent(t -> m.put(name, t)));
    return m;
  }
}
