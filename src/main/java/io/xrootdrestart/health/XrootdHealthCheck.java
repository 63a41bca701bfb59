package io.xrootdrestart.health;

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
 * Healthy when both units are active and the server serves: its xrootd answers {@code query config
 * cms} on its port and says it is logged in to its cmsd and in the cluster (the reply ends in
 * {@code /a}). A frozen or unsubscribed xrootd has active units but is not healthy, so it never
 * counts toward {@code min_ok}. One SSH command per server, in the same play as {@link
 * SystemdHealthCheck}'s: the unit states, then the query's answer.
 */
public final class XrootdHealthCheck implements HealthCheck {
  private final Phases phases;

  public XrootdHealthCheck(Phases phases) {
    this.phases = phases;
  }

  @Override
  public PhasePlaybook playbook(List<Server> servers) {
    return phases.health(servers, true);
  }

  @Override
  public FleetHealth read(RunResult run, List<Server> servers) {
    FleetHealth units = SystemdHealthCheck.from(run, servers.stream().map(Server::name).toList());
    Map<String, ServerHealth> m = new LinkedHashMap<>();
    for (Server s : servers) {
      ServerHealth h = units.server(s.name()).orElseThrow();
      Optional<String> answer =
          Optional.ofNullable(run.hosts().get(s.name()))
              .flatMap(r -> SystemdHealthCheck.line(r, 2));
      m.put(
          s.name(),
          new ServerHealth(
              h.server(), h.cmsd(), h.xrootd(), h.problem(), notServing(answer, s.xrootdPort())));
    }
    return new FleetHealth(m, units.took());
  }

  /** What is wrong with xrootd's answer to the query, if anything. */
  static Optional<String> notServing(Optional<String> answer, int port) {
    String a = answer.orElse("").strip();
    if (a.endsWith("/a")) {
      return Optional.empty();
    }
    if (a.endsWith("/d")) {
      return Optional.of("xrootd answers but is not in the cluster (not logged in to its cmsd)");
    }
    if (a.isEmpty() || a.startsWith("[")) { // XrdCl's own errors: "[FATAL] Connection error"
      return Optional.of(
          "xrootd does not answer on port "
              + port
              + (a.isEmpty() ? " within 5 s" : " (" + a + ")"));
    }
    return Optional.of("xrootd answers but is in no cluster (" + a + ")");
  }
}
