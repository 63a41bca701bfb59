package io.xrootdrestart.restart;

import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import java.time.Duration;

/**
 * What the restart logic tells the world. Every method does nothing by default; logging, metrics
 * and alerts are listeners, so the restart logic never knows Prometheus or Alertmanager exist.
 */
public interface RestartListener {
  /** The daemon planned its next slots: one per server, the first is the next restart. */
  default void scheduled(java.util.List<io.xrootdrestart.schedule.Slot> upcoming) {}

  /** A restart of {@code server} begins (its attempt is already recorded). */
  default void restartStarted(String server) {}

  /** A remote phase of a restart begins: "drain", "cycle", "restore", "kill" or "reboot". */
  default void phaseStarted(String server, String phase) {}

  default void phaseFinished(String server, PhaseReport report) {}

  /**
   * The wait between drain and cycle begins: at most {@code atMost} (cmsd_wait), ended early when
   * no file is open with {@code untilIdle} (drain_until_idle).
   */
  default void waiting(String server, Duration atMost, boolean untilIdle) {}

  /** The wait between drain and cycle is over: how long it took and what ended it. */
  default void drained(String server, Drain drain) {}

  default void restartSucceeded(String server, RestartResult result) {}

  /**
   * A step failed for good and restore is about to run: {@code soFar} says what failed (the final
   * result, with what restore did, follows in {@link #restartFailed}). Alerts fire here, without
   * waiting for restore.
   */
  default void restartFailing(String server, RestartResult soFar) {}

  /**
   * The restart failed, the server was unreachable, a unit was stuck, or shutdown interrupted it.
   */
  default void restartFailed(String server, RestartResult result) {}

  default void healthChecked(FleetHealth health) {}

  default void guardPassed(String target, int healthyOthers, int minOk) {}

  default void guardHeld(String target, Decision.Hold hold) {}

  /** A restart of {@code server} out of turn begins (before {@link #restartStarted}). */
  default void outOfTurn(String server, io.xrootdrestart.remedy.OutOfTurn.Due due) {}

  /** restart_when could not be asked: no server is due by it at this slot. */
  default void restartWhenFailed(String why) {}

  /** Alertmanager refused or did not answer {@code what} for {@code server}'s silence. */
  default void silenceFailed(String server, String what) {}

  /** A slot was skipped because an admin paused the rotation ({@code xrootdrestart pause}). */
  default void paused(String target, io.xrootdrestart.state.Controls.Pause pause) {}

  /** The state file could not be written (no new restart starts until it can). */
  default void stateWriteFailed(String why) {}

  /** Combines listeners: each event goes to all, in order. */
  static RestartListener all(RestartListener... listeners) {
    return new Multicast(java.util.List.of(listeners));
  }
}
