package io.xrootdrestart.health;

import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Phases;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Healthy when {@code systemctl is-active} says {@code active} for both units: one Ansible run over
 * the fleet.
 */
public final class SystemdHealthCheck implements HealthCheck {
  private final Phases phases;

  public SystemdHealthCheck(Phases phases) {
    this.phases = phases;
  }

  @Override
  public PhasePlaybook playbook(List<Server> servers) {
    return phases.health(servers);
  }

  @Override
  public FleetHealth read(RunResult run, List<Server> servers) {
    return from(run, servers.stream().map(Server::name).toList());
  }

  /**
   * Reads the states out of a health run; a server that did not answer is unhealthy, with the
   * reason.
   */
  static FleetHealth from(RunResult run, List<String> servers) {
    Map<String, ServerHealth> m = new LinkedHashMap<>();
    for (String s : servers) {
      HostResult r = run.hosts().get(s);
      if (r == null) {
        m.put(s, ServerHealth.unknown(s, "not checked"));
      } else if (r.outcome() != Outcome.OK) {
        m.put(
            s,
            ServerHealth.unknown(
                s,
                (r.outcome() == Outcome.UNREACHABLE ? "unreachable: " : "state unreadable: ")
                    + r.message()));
      } else {
        m.put(s, new ServerHealth(s, line(r, 0), line(r, 1), Optional.empty()));
      }
    }
    return new FleetHealth(m, run.duration());
  }

  /**
   * Line {@code line} of the health task's output: 0 cmsd's state, 1 xrootd's, 2 (health_check
   * xrootd) what xrootd answered.
   */
  static Optional<String> line(HostResult r, int line) {
    return r.stdout(Phases.HEALTH_TASK)
        .map(out -> out.split("\n", -1))
        .filter(lines -> lines.length > line)
        .map(lines -> lines[line].strip())
        .filter(s -> !s.isEmpty());
  }
}
