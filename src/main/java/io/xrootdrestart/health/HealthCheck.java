package io.xrootdrestart.health;

import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.inventory.Server;
import java.util.List;

/**
 * Whether each server is healthy right now. The guard decides on what a check found, never on how
 * it was found; {@link SystemdHealthCheck} is today's check.
 */
@FunctionalInterface
public interface HealthCheck {
  /**
   * Every server's health; a server that cannot be asked is unhealthy, with the reason. Never
   * throws for a server.
   */
  FleetHealth check(List<Server> servers);
}
