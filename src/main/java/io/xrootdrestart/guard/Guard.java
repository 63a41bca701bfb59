package io.xrootdrestart.guard;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The min_ok guard, on live health: a restart may start only if at least {@code min_ok} servers
 * other than the target are healthy right now (a target that is already unhealthy may be restarted:
 * that is how a broken server gets fixed), and, when alert blocking is on, no matching alert is
 * firing.
 */
public final class Guard {
  private Guard() {}

  /**
   * @param blockingAlerts names of firing Prometheus alerts that match {@code block_on_alerts}
   */
  public static Decision decide(
      FleetHealth health, int minOk, String target, List<String> blockingAlerts) {
    int others = health.healthyOtherThan(target);
    if (others >= minOk) {
      if (!blockingAlerts.isEmpty()) {
        return new Decision.Hold(
            false,
            "firing alert"
                + (blockingAlerts.size() > 1 ? "s " : " ")
                + String.join(", ", blockingAlerts)
                + " match block_on_alerts");
      }
      return new Decision.Proceed(others, minOk);
    }
    String unhealthy =
        health.servers().values().stream()
            .filter(h -> !h.healthy() && !h.server().equals(target))
            .map(h -> h.server() + " (" + h.describe() + ")")
            .collect(Collectors.joining(", "));
    return new Decision.Hold(
        true,
        "only "
            + others
            + " server"
            + (others == 1 ? "" : "s")
            + " other than "
            + target
            + " healthy, min_ok is "
            + minOk
            + (unhealthy.isEmpty() ? "" : "; unhealthy: " + unhealthy));
  }
}
