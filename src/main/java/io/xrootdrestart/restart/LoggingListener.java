package io.xrootdrestart.restart;

import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs every restart event: what journald (or log_file) keeps. */
public final class LoggingListener implements RestartListener {
  private static final Logger LOG = LoggerFactory.getLogger("restart");

  @Override
  public void restartStarted(String server) {
    LOG.info("{}: restart started", server);
  }

  @Override
  public void phaseFinished(String server, PhaseReport report) {
    if (!report.ok()) {
      LOG.warn(
          "{}: {} {} ({})",
          server,
          report.phase(),
          report.describe(),
          report.runDir().map(Object::toString).orElse(""));
    } else {
      LOG.info("{}: {} ok in {} ms", server, report.phase(), report.took().toMillis());
    }
  }

  @Override
  public void waiting(String server, Duration atMost, boolean untilIdle) {
    if (untilIdle) {
      LOG.info(
          "{}: cmsd stopped; waiting until no file is open, at most {} s, before stopping xrootd",
          server,
          atMost.toSeconds());
    } else {
      LOG.info("{}: cmsd stopped; waiting {} s before stopping xrootd", server, atMost.toSeconds());
    }
  }

  @Override
  public void drained(String server, Drain drain) {
    LOG.info("{}: drained ({}; ended by {})", server, drain.describe(), drain.endedBy().id());
  }

  @Override
  public void restartSucceeded(String server, RestartResult result) {
    LOG.info(
        "{}: restart succeeded{}",
        server,
        result.message().isEmpty() ? "" : " (" + result.message() + ")");
  }

  @Override
  public void restartFailed(String server, RestartResult result) {
    LOG.error(
        "{}: restart {}{}: {}",
        server,
        result.outcome(),
        result.step().map(s -> " at " + s).orElse(""),
        result.message());
  }

  @Override
  public void healthChecked(FleetHealth health) {
    String unhealthy =
        health.servers().values().stream()
            .filter(h -> !h.healthy())
            .map(h -> h.server() + ": " + h.describe())
            .collect(java.util.stream.Collectors.joining("; "));
    LOG.info(
        "health: {} of {} servers healthy{}",
        health.healthyCount(),
        health.servers().size(),
        unhealthy.isEmpty() ? "" : "; " + unhealthy);
  }

  @Override
  public void guardHeld(String target, Decision.Hold hold) {
    LOG.warn("guard: not restarting {}: {}", target, hold.reason());
  }
}
