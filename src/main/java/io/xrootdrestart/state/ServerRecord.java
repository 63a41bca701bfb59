package io.xrootdrestart.state;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon remembers about one server.
 *
 * @param lastAttempt when its last restart started (recorded before the first step, so that a crash
 *     cannot make it go twice in a period)
 * @param lastSuccess when its last successful restart started
 * @param outcome how the last attempt ended: success, failed, unreachable, stuck, interrupted; ""
 *     if never
 * @param message what went wrong, for status and alerts
 * @param needsRestore a unit may have been left stopped (the server became unreachable
 *     mid-restart): restore it as soon as it answers again
 * @param outOfTurn when its out-of-turn restarts of the last day started (remedial_per_day)
 */
public record ServerRecord(
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess,
    String outcome,
    String message,
    boolean needsRestore,
    List<Instant> outOfTurn) {
  public static final ServerRecord NEVER =
      new ServerRecord(Optional.empty(), Optional.empty(), "", "", false);

  /** How far back out-of-turn restarts count (remedial_per_day). */
  public static final Duration DAY = Duration.ofDays(1);

  public ServerRecord {
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    outcome = outcome == null ? "" : outcome;
    message = message == null ? "" : message;
    outOfTurn = List.copyOf(outOfTurn);
  }

  public ServerRecord(
      Optional<Instant> lastAttempt,
      Optional<Instant> lastSuccess,
      String outcome,
      String message,
      boolean needsRestore) {
    this(lastAttempt, lastSuccess, outcome, message, needsRestore, List.of());
  }

  public ServerRecord attempted(Instant at) {
    return new ServerRecord(
        Optional.of(at), lastSuccess, "in progress", "", needsRestore, outOfTurn);
  }

  /**
   * An out-of-turn restart started at {@code at}: counted for a day, and an attempt like any other.
   */
  public ServerRecord attemptedOutOfTurn(Instant at) {
    List<Instant> recent = new ArrayList<>(outOfTurnSince(at.minus(DAY)));
    recent.add(at);
    return new ServerRecord(Optional.of(at), lastSuccess, "in progress", "", needsRestore, recent);
  }

  /** The out-of-turn restarts that started after {@code from}. */
  public List<Instant> outOfTurnSince(Instant from) {
    return outOfTurn.stream().filter(t -> t.isAfter(from)).toList();
  }

  public ServerRecord finished(
      String newOutcome, String newMessage, boolean success, boolean restoreNeeded) {
    return new ServerRecord(
        lastAttempt,
        success ? lastAttempt : lastSuccess,
        newOutcome,
        newMessage,
        restoreNeeded,
        outOfTurn);
  }

  public ServerRecord restored() {
    return new ServerRecord(lastAttempt, lastSuccess, outcome, message, false, outOfTurn);
  }
}
