package io.xrootdrestart.guard;

import io.xrootdrestart.ansible.HostResult;
import io.xrootdrestart.ansible.Outcome;
import io.xrootdrestart.ansible.Phases;
import io.xrootdrestart.ansible.RunResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The health of every server, from one health run. */
public record FleetHealth(Map<String, ServerHealth> servers) {
  public FleetHealth {
    servers = new LinkedHashMap<>(servers);
  }

  /** Reads the states out of a health run; a server that did not answer is unhealthy, with the reason. */
  public static FleetHealth from(RunResult run, List<String> servers) {
    Map<String, ServerHealth> m = new LinkedHashMap<>();
    for (String s : servers) {
      HostResult r = run.hosts().get(s);
      if (r == null) {
        m.put(s, ServerHealth.unknown(s, "not checked"));
      } else if (r.outcome() != Outcome.OK) {
        m.put(s, ServerHealth.unknown(s, (r.outcome() == Outcome.UNREACHABLE ? "unreachable: " : "state unreadable: ")
            + r.message()));
      } else {
        m.put(s, new ServerHealth(s, state(r, "cmsd"), state(r, "xrootd"), Optional.empty()));
      }
    }
    return new FleetHealth(m);
  }

  private static Optional<String> state(HostResult r, String which) {
    return r.stdout(Phases.HEALTH_TASK_PREFIX + which).map(String::strip).filter(s -> !s.isEmpty());
  }

  public int healthyCount() {
    return (int) servers.values().stream().filter(ServerHealth::healthy).count();
  }

  /** Healthy servers other than {@code target}. */
  public int healthyOtherThan(String target) {
    return (int) servers.values().stream().filter(h -> h.healthy() && !h.server().equals(target)).count();
  }

  public Optional<ServerHealth> server(String name) {
    return Optional.ofNullable(servers.get(name));
  }
}
