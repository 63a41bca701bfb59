package io.xrootdrestart.restart;

import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import java.time.Duration;
import java.util.List;

/** Hands each event to several listeners. */
record Multicast(List<RestartListener> listeners) implements RestartListener {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Multicast.class);

  /**
   * A listener that throws (a full disk under the alert outbox, a bug) is logged and skipped: what
   * reports on restarts must never stop them.
   */
  private void each(java.util.function.Consumer<RestartListener> event) {
    for (RestartListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.error("listener {} failed: {}", l.getClass().getSimpleName(), e.toString(), e);
      }
    }
  }

  @Override
  public void scheduled(List<io.xrootdrestart.schedule.Slot> upcoming) {
    each(l -> l.scheduled(upcoming));
  }

  @Override
  public void restartStarted(String server) {
    each(l -> l.restartStarted(server));
  }

  @Override
  public void phaseStarted(String server, String phase) {
    each(l -> l.phaseStarted(server, phase));
  }

  @Override
  public void phaseFinished(String server, PhaseReport report) {
    each(l -> l.phaseFinished(server, report));
  }

  @Override
  public void waiting(String server, Duration atMost, boolean untilIdle) {
    each(l -> l.waiting(server, atMost, untilIdle));
  }

  @Override
  public void outOfTurn(String server, io.xrootdrestart.remedy.OutOfTurn.Due due) {
    each(l -> l.outOfTurn(server, due));
  }

  @Override
  public void restartWhenFailed(String why) {
    each(l -> l.restartWhenFailed(why));
  }

  @Override
  public void silenceFailed(String server, String what) {
    each(l -> l.silenceFailed(server, what));
  }

  @Override
  public void stateWriteFailed(String why) {
    each(l -> l.stateWriteFailed(why));
  }

  @Override
  public void drained(String server, Drain drain) {
    each(l -> l.drained(server, drain));
  }

  @Override
  public void restartSucceeded(String server, RestartResult result) {
    each(l -> l.restartSucceeded(server, result));
  }

  @Override
  public void restartFailing(String server, RestartResult soFar) {
    each(l -> l.restartFailing(server, soFar));
  }

  @Override
  public void restartFailed(String server, RestartResult result) {
    each(l -> l.restartFailed(server, result));
  }

  @Override
  public void healthChecked(FleetHealth health) {
    each(l -> l.healthChecked(health));
  }

  @Override
  public void guardPassed(String target, int healthyOthers, int minOk) {
    each(l -> l.guardPassed(target, healthyOthers, minOk));
  }

  @Override
  public void guardHeld(String target, Decision.Hold hold) {
    each(l -> l.guardHeld(target, hold));
  }

  @Override
  public void paused(String target, io.xrootdrestart.state.Controls.Pause pause) {
    each(l -> l.paused(target, pause));
  }
}
