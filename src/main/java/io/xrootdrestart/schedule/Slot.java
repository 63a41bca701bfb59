package io.xrootdrestart.schedule;

import java.time.Instant;
import java.util.Objects;

/** A planned restart: which server, when. */
public record Slot(Instant time, String server) {
  public Slot {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(server, "server");
  }
}
