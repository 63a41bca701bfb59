package io.xrootdrestart.guard;

import java.util.Objects;
import java.util.Optional;

/**
 * One server's live health: the states {@code systemctl is-active} printed for its two units, or
 * why they could not be read, and (with {@code health_check: xrootd}) why xrootd does not serve
 * although its units are active. Healthy means both are {@code active} and, when xrootd was asked,
 * that it serves; {@code failed}, {@code activating}, an unreadable state and a server that does
 * not serve all count as unhealthy.
 *
 * @param notServing what the xrootd check found wrong ("xrootd answers but is not in the cluster");
 *     empty when it found nothing wrong or did not run
 */
public record ServerHealth(
    String server,
    Optional<String> cmsd,
    Optional<String> xrootd,
    Optional<String> problem,
    Optional<String> notServing) {
  public ServerHealth {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(cmsd, "cmsd");
    Objects.requireNonNull(xrootd, "xrootd");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(notServing, "notServing");
  }

  public ServerHealth(
      String server, Optional<String> cmsd, Optional<String> xrootd, Optional<String> problem) {
    this(server, cmsd, xrootd, problem, Optional.empty());
  }

  public static ServerHealth of(String server, String cmsd, String xrootd) {
    return new ServerHealth(server, Optional.of(cmsd), Optional.of(xrootd), Optional.empty());
  }

  public static ServerHealth unknown(String server, String problem) {
    return new ServerHealth(server, Optional.empty(), Optional.empty(), Optional.of(problem));
  }

  public boolean healthy() {
    return unitsActive() && notServing.isEmpty();
  }

  /** Both units active, whatever xrootd itself says. */
  public boolean unitsActive() {
    return problem.isEmpty()
        && cmsd.equals(Optional.of("active"))
        && xrootd.equals(Optional.of("active"));
  }

  /** The health check could not reach the server at all. */
  public boolean unreachable() {
    return problem.map(p -> p.startsWith("unreachable")).orElse(false);
  }

  /** "cmsd active, xrootd failed", "xrootd answers but is not in the cluster", or the problem. */
  public String describe() {
    if (unitsActive() && notServing.isPresent()) {
      return notServing.get();
    }
    return problem.orElseGet(() -> "cmsd " + cmsd.orElse("?") + ", xrootd " + xrootd.orElse("?"));
  }
}
