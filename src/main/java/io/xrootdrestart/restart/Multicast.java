package io.xrootdrestart.restart;

import io.xrootdrestart.ansible.Phase;
import io.xrootdrestart.ansible.RunResult;
import io.xrootdrestart.guard.FleetHealth;
import java.time.Duration;
import java.util.List;

/** Hands each event to several listeners. */
record Multicast(List<RestartListener> listeners) implements RestartListener {
  @Override
  public void restartStarted(String server) {
    listeners.forEach(l -> l.restartStarted(server));
  }

  @Override
  public void phaseStarted(String server, Phase phase) {
    listeners.forEach(l -> l.phaseStarted(server, phase));
  }

  @Override
  public void phaseFinished(String server, Phase phase, RunResult result) {
    listeners.forEach(l -> l.phaseFinished(server, phase, result));
  }

  @Override
  public void waiting(String server, Duration wait) {
    listeners.forEach(l -> l.waiting(server, wait));
  }

  @Override
  public void restartSucceeded(String server, RestartResult result) {
    listeners.forEach(l -> l.restartSucceeded(server, result));
  }

  @Override
  public void restartFailed(String server, RestartResult result) {
    listeners.forEach(l -> l.restartFailed(server, result));
  }

  @Override
  public void healthChecked(FleetHealth health) {
    listeners.forEach(l -> l.healthChecked(health));
  }

  @Override
  public void guardPassed(String target, int healthyOthers, int minOk) {
    listeners.forEach(l -> l.guardPassed(target, healthyOthers, minOk));
  }

  @Override
  public void guardHeld(String target, String reason) {
    listeners.forEach(l -> l.guardHeld(target, reason));
  }
}
