package io.xrootdrestart.restart;

import io.xrootdrestart.playbook.StepScript;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the wait between a restart's drain (cmsd stopped) and its cycle went: how long it took, what
 * ended it, and what the server said.
 *
 * @param took from the drain's end, as the daemon saw it, to the wait's end
 * @param detail "idle after 3 s", "busy after 30 s: 1 open for reading, 0 for writing", or why the
 *     wait was a fixed one
 */
public record Drain(Duration took, EndedBy endedBy, String detail) {
  /** What ended the wait. */
  public enum EndedBy {
    /** No file was open on the server any more (drain_until_idle). */
    IDLE,
    /** cmsd_wait passed: files were still open, the server could not tell, or the wait is fixed. */
    CMSD_WAIT;

    /** "idle", "cmsd_wait": the metric's label and the run record's value. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Drain {
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(endedBy, "endedBy");
    Objects.requireNonNull(detail, "detail");
  }

  /** A fixed wait of cmsd_wait (drain_until_idle off). */
  public static Drain fixed(Duration took) {
    return new Drain(took, EndedBy.CMSD_WAIT, "drain_until_idle is off");
  }

  /** The wait's end as the idle play's output line reports it. */
  public static Drain of(Duration took, Optional<String> output) {
    String line = output.map(String::strip).orElse("");
    int newline = line.lastIndexOf('\n');
    line = newline < 0 ? line : line.substring(newline + 1);
    EndedBy by = line.startsWith(StepScript.IDLE) ? EndedBy.IDLE : EndedBy.CMSD_WAIT;
    return new Drain(took, by, line.isEmpty() ? "no answer from the server" : line);
  }

  /** "3.2 s, idle after 3 s": for the log, the progress line and the restart's message. */
  public String describe() {
    return String.format(Locale.ROOT, "%.1f s, %s", took.toMillis() / 1000.0, detail);
  }
}
