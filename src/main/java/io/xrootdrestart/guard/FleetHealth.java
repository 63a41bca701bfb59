package io.xrootdrestart.guard;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The health of every server from one check (whichever {@code health} check found it), and how long
 * the check took.
 */
public record FleetHealth(Map<String, ServerHealth> servers, Duration took) {
  public FleetHealth {
    servers = new LinkedHashMap<>(servers);
    Objects.requireNonNull(took, "took");
  }

  public FleetHealth(Map<String, ServerHealth> servers) {
    this(servers, Duration.ZERO);
  }

  public int healthyCount() {
    return (int) servers.values().stream().filter(ServerHealth::healthy).count();
  }

  /** Healthy servers other than {@code target}. */
  public int healthyOtherThan(String target) {
    return (int)
        servers.values().stream().filter(h -> h.healthy() && !h.server().equals(target)).count();
  }

  public Optional<ServerHealth> server(String name) {
    return Optional.ofNullable(servers.get(name));
  }
}
