package io.xrootdrestart.state;

import java.time.Instant;
import java.util.Objects;

/**
 * A restart under way: written before each phase, so that after a crash the server is restored
 * first.
 */
public record InFlight(String server, String phase, Instant since) {
  public InFlight {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(since, "since");
  }
}
