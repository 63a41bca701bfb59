package io.xrootdrestart.cli;

import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.restart.Drain;
import io.xrootdrestart.restart.PhaseReport;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.RestartResult;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Prints each server's restart, step by step with elapsed times, for a person watching. */
final class ProgressPrinter implements RestartListener {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final PrintWriter out;
  private final Clock clock;
  private Instant restartStart = Instant.EPOCH;
  private Instant phaseStart = Instant.EPOCH;

  ProgressPrinter(PrintWriter out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  private void line(String server, String text) {
    Instant now = clock.instant();
    out.printf(
        "%s  %-10s %6.1fs  %s%n",
        TIME.format(LocalTime.ofInstant(now, ZoneId.systemDefault())),
        server,
        Duration.between(restartStart, now).toMillis() / 1000.0,
        text);
    out.flush();
  }

  @Override
  public void restartStarted(String server) {
    restartStart = clock.instant();
    line(server, "restart started");
  }

  @Override
  public void phaseStarted(String server, String phase) {
    phaseStart = clock.instant();
    line(server, phase + " ...");
  }

  @Override
  public void phaseFinished(String server, PhaseReport r) {
    String took =
        String.format("%.1fs", Duration.between(phaseStart, clock.instant()).toMillis() / 1000.0);
    line(
        server,
        r.phase()
            + (r.ok()
                ? " ok (" + took + ")"
                : " "
                    + r.outcome().toUpperCase(java.util.Locale.ROOT)
                    + " ("
                    + took
                    + ")"
                    + r.step().map(s -> " at '" + s + "'").orElse("")
                    + ": "
                    + r.message()));
  }

  @Override
  public void waiting(String server, Duration atMost, boolean untilIdle) {
    long s = atMost.truncatedTo(ChronoUnit.SECONDS).toSeconds();
    line(
        server,
        untilIdle
            ? "waiting until no file is open, at most " + s + " s (cmsd_wait)"
            : "waiting " + s + " s (cmsd_wait) for clients to finish");
  }

  @Override
  public void outOfTurn(String server, io.xrootdrestart.remedy.OutOfTurn.Due due) {
    line(server, "out of turn: " + due.why());
  }

  @Override
  public void drained(String server, Drain drain) {
    line(server, "drained: " + drain.describe());
  }

  @Override
  public void restartSucceeded(String server, RestartResult result) {
    line(server, "restarted" + (result.message().isEmpty() ? "" : ": " + result.message()));
  }

  @Override
  public void restartFailed(String server, RestartResult result) {
    line(
        server,
        result.outcome().toUpperCase()
            + result.step().map(s -> " at " + s).orElse("")
            + ": "
            + result.message()
            + result.runDir().map(d -> " (run: " + d + ")").orElse(""));
  }

  @Override
  public void scheduled(java.util.List<io.xrootdrestart.schedule.Slot> upcoming) {
    io.xrootdrestart.schedule.Slot next = upcoming.get(0);
    out.printf(
        "%s  %-10s %7s  next restart: %s at %s%n",
        TIME.format(LocalTime.ofInstant(clock.instant(), ZoneId.systemDefault())),
        "schedule",
        "",
        next.server(),
        TIME.format(LocalTime.ofInstant(next.time(), ZoneId.systemDefault())));
    out.flush();
  }

  @Override
  public void healthChecked(FleetHealth health) {
    restartStart = clock.instant();
    line("health", health.healthyCount() + " of " + health.servers().size() + " servers healthy");
  }

  @Override
  public void guardHeld(String target, Decision.Hold hold) {
    line(target, "HELD by the guard: " + hold.reason());
  }

  @Override
  public void paused(String target, io.xrootdrestart.state.Controls.Pause pause) {
    line(
        target,
        "skipped: the rotation is paused"
            + (pause.reason().isEmpty() ? "" : " (" + pause.reason() + ")"));
  }
}
