package io.xrootdrestart.state;

import java.time.Instant;
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
 */
public record ServerRecord(
    Optional<Instant> lastAttempt,
    Optional<Instant> lastSuccess,
    String outcome,
    String message,
    boolean needsRestore) {
  public static final ServerRecord NEVER =
      new ServerRecord(Optional.empty(), Optional.empty(), "", "", false);

  public ServerRecord {
    Objects.requireNonNull(lastAttempt, "lastAttempt");
    Objects.requireNonNull(lastSuccess, "lastSuccess");
    outcome = outcome == null ? "" : outcome;
    message = message == null ? "" : message;
  }

  public ServerRecord attempted(Instant at) {
    return new ServerRecord(Optional.of(at), lastSuccess, "in progress", "", needsRestore);
  }

  public ServerRecord finished(
      String newOutcome, String newMessage, boolean success, boolean restoreNeeded) {
    return new ServerRecord(
        lastAttempt, success ? lastAttempt : lastSuccess, newOutcome, newMessage, restoreNeeded);
  }

  public ServerRecord restored() {
    return new ServerRecord(lastAttempt, lastSuccess, outcome, message, false);
  }
}
