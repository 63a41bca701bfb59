package io.xrootdrestart.health;

import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Phases;
import java.util.List;

/**
 * Whether each server is healthy right now: the play that asks every server, and how its results
 * read. The guard decides on what a check found, never on how it was found; the play runs alone
 * ({@code plan}, pending restores) or as the first play of a restart's single run. The config's
 * {@code health_check} chooses {@link SystemdHealthCheck} or {@link XrootdHealthCheck}.
 */
public interface HealthCheck {
  /** The play that asks {@code servers}; it never fails a host, and keeps unreachable ones. */
  PhasePlaybook playbook(List<Server> servers);

  /**
   * Every server's health from that play's result; a server that could not be asked is unhealthy,
   * with the reason. Never throws for a server.
   */
  FleetHealth read(RunResult run, List<Server> servers);

  /** The check the config's {@code health_check} names. */
  static HealthCheck of(io.xrootdrestart.config.HealthCheckKind kind, Phases phases) {
    return switch (kind) {
      case SYSTEMD -> new SystemdHealthCheck(phases);
      case XROOTD -> new XrootdHealthCheck(phases);
    };
  }
}
