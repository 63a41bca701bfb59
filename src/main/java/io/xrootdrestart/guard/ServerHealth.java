package io.xrootdrestart.guard;

import java.util.Objects;
import java.util.Optional;

/**
 * One server's live health: the states {@code systemctl is-active} printed for its two units, or
 * why they could not be read. Healthy means both are {@code active}; {@code failed}, {@code
 * activating} and an unreadable state all count as unhealthy.
 */
public record ServerHealth(
    String server, Optional<String> cmsd, Optional<String> xrootd, Optional<String> problem) {
  public ServerHealth {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(cmsd, "cmsd");
    Objects.requireNonNull(xrootd, "xrootd");
    Objects.requireNonNull(problem, "problem");
  }

  public static ServerHealth of(String server, String cmsd, String xrootd) {
    return new ServerHealth(server, Optional.of(cmsd), Optional.of(xrootd), Optional.empty());
  }

  public static ServerHealth unknown(String server, String problem) {
    return new ServerHealth(server, Optional.empty(), Optional.empty(), Optional.of(problem));
  }

  public boolean healthy() {
    return problem.isEmpty()
        && cmsd.equals(Optional.of("active"))
        && xrootd.equals(Optional.of("active"));
  }

  /** The health check could not reach the server at all. */
  public boolean unreachable() {
    return problem.map(p -> p.startsWith("unreachable")).orElse(false);
  }

  /** "cmsd active, xrootd failed" or the problem. */
  public String describe() {
    return problem.orElseGet(() -> "cmsd " + cmsd.orElse("?") + ", xrootd " + xrootd.orElse("?"));
  }
}
