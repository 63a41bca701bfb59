package io.xrootdrestart.alerts;

import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.RestartResult;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns what the daemon does into alerts: a restart that fails fires the restart error for that
 * server, one that cannot reach it (or a health check that cannot) the connect error; both resolve
 * on the server's next successful restart, the connect error also as soon as a health check reaches
 * it. The guard holding for lack of healthy servers fires the insufficient-servers alert until it
 * lets a restart go, or holds for another reason.
 */
public final class AlertConditions implements RestartListener {
  private final AlertBook book;
  private final Clock clock;
  private final String rotation;

  /**
   * @param rotation the rotation whose daemon this listens to: every alert's {@code rotation} label
   */
  public AlertConditions(AlertBook book, Clock clock, String rotation) {
    this.book = book;
    this.clock = clock;
    this.rotation = rotation;
  }

  /** Alerts without a rotation label. */
  public AlertConditions(AlertBook book, Clock clock) {
    this(book, clock, "");
  }

  @Override
  public void restartSucceeded(String server, RestartResult result) {
    book.resolve(AlertName.RESTART_ERROR, Optional.of(server));
    book.resolve(AlertName.CONNECT_ERROR, Optional.of(server));
  }

  /** Fires at once, before restore runs; {@link #restartFailed} then adds what restore did. */
  @Override
  public void restartFailing(String server, RestartResult soFar) {
    restartFailed(server, soFar);
  }

  @Override
  public void restartFailed(String server, RestartResult result) {
    String what = result.step().map(s -> s + ": ").orElse("") + result.message();
    Optional<String> runDir = result.runDir().map(Object::toString);
    switch (result.status()) {
      case UNREACHABLE ->
          book.fire(
              new Alert(
                  AlertName.CONNECT_ERROR,
                  Optional.of(server),
                  clock.instant(),
                  "xrootdrestart cannot connect to " + server,
                  what,
                  runDir,
                  rotation));
      case FAILED, STUCK ->
          book.fire(
              new Alert(
                  AlertName.RESTART_ERROR,
                  Optional.of(server),
                  clock.instant(),
                  "xrootdrestart could not restart "
                      + server
                      + (result.status() == RestartResult.Status.STUCK
                          ? " (a unit would not stop)"
                          : ""),
                  what,
                  runDir,
                  rotation));
      default -> {} // interrupted by shutdown: restored, not a fault of the server
    }
  }

  @Override
  public void healthChecked(FleetHealth health) {
    for (ServerHealth h : health.servers().values()) {
      if (h.unreachable()) {
        book.fire(
            new Alert(
                AlertName.CONNECT_ERROR,
                Optional.of(h.server()),
                clock.instant(),
                "xrootdrestart cannot connect to " + h.server(),
                "health check: " + h.describe(),
                Optional.empty(),
                rotation));
      } else if (h.problem().isEmpty()) {
        book.resolve(AlertName.CONNECT_ERROR, Optional.of(h.server()));
      }
    }
  }

  @Override
  public void guardPassed(String target, int healthyOthers, int minOk) {
    resolveInsufficient();
  }

  /** The rotation's, and one an older version fired without a rotation. */
  private void resolveInsufficient() {
    book.resolve(AlertName.INSUFFICIENT_SERVERS, Optional.empty(), rotation);
    book.resolve(AlertName.INSUFFICIENT_SERVERS, Optional.empty());
  }

  @Override
  public void guardHeld(String target, Decision.Hold hold) {
    if (hold.insufficient()) {
      book.fire(
          new Alert(
              AlertName.INSUFFICIENT_SERVERS,
              Optional.empty(),
              clock.instant(),
              "xrootdrestart holds restarts: too few healthy servers",
              "holding the restart of " + target + ": " + hold.reason(),
              Optional.empty(),
              rotation));
    } else {
      resolveInsufficient();
    }
  }
}
