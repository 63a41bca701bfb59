package io.xrootdrestart.restart;

import io.xrootdrestart.ansible.GatedRun;
import io.xrootdrestart.ansible.PlaybookRunner;
import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Gate;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.playbook.RestartPlaybook;
import io.xrootdrestart.playbook.Step;
import io.xrootdrestart.restart.RestartResult.Status;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One server's restart, step by step:
 *
 * <ol>
 *   <li>{@code drain}: stop cmsd, so the redirector sends the server no new clients;
 *   <li>wait while connected clients finish: {@code cmsd_wait} in Java, or with drain_until_idle
 *       the run's {@code idle} play, which ends as soon as no file is open on the server (at most
 *       {@code cmsd_wait}); either is cut short by shutdown;
 *   <li>{@code cycle}: stop xrootd, start xrootd, start cmsd, each verified.
 * </ol>
 *
 * <p>A unit that will not stop in time is sent SIGKILL ({@code kill}) and the restart goes on; if
 * it still will not stop, the unit is stuck. After any other failure once something was stopped,
 * {@code restore} starts whatever is not active, so no unit is left stopped if it can be started.
 * An unreachable server gets nothing more; the result asks for a restore once it answers again.
 */
public final class NodeRestart {
  private final PlaybookRunner runner;
  private final Phases phases;

  /** How a restart whose server did not serve again within verify_timeout is reported. */
  public static final String NOT_SERVING = "not serving after restart";

  private final Duration cmsdWait;
  private final Waiter waiter;
  private final Journal journal;
  private final RestartListener listener;
  private final BooleanSupplier stopping;
  private final boolean escalateReboot;

  /** One phase's result on the server, with the run directory an alert can point to. */
  private record Ran(Phase phase, PhasePlaybook playbook, HostResult host, Optional<Path> dir) {
    boolean ok() {
      return host.ok();
    }

    Optional<String> step() {
      return host.step().map(s -> phase.id() + ": " + s);
    }
  }

  /** What restore did: both units active, or why not. */
  private record Restore(boolean ok, String text) {}

  /**
   * @param stopping whether shutdown was requested (a phase cut short by it is followed by restore)
   */
  public NodeRestart(
      PlaybookRunner runner,
      Phases phases,
      Duration cmsdWait,
      Waiter waiter,
      Journal journal,
      RestartListener listener,
      BooleanSupplier stopping) {
    this(runner, phases, cmsdWait, waiter, journal, listener, stopping, false);
  }

  /**
   * @param escalateReboot reboot the server when a unit survives SIGKILL (off: nothing ever
   *     reboots)
   */
  public NodeRestart(
      PlaybookRunner runner,
      Phases phases,
      Duration cmsdWait,
      Waiter waiter,
      Journal journal,
      RestartListener listener,
      BooleanSupplier stopping,
      boolean escalateReboot) {
    this.escalateReboot = escalateReboot;
    this.runner = Objects.requireNonNull(runner);
    this.phases = Objects.requireNonNull(phases);
    this.cmsdWait = Objects.requireNonNull(cmsdWait);
    this.waiter = Objects.requireNonNull(waiter);
    this.journal = Objects.requireNonNull(journal);
    this.listener = Objects.requireNonNull(listener);
    this.stopping = Objects.requireNonNull(stopping);
  }

  /** Restarts {@code s} in a run of its own (the health play is not run). */
  public RestartResult restart(Server s) {
    RestartPlaybook playbook = phases.restart(s, phases.health(List.of(s)), cmsdWait);
    try (GatedRun run = runner.start(playbook)) {
      return restart(s, playbook, run);
    }
  }

  /**
   * Restarts {@code s} through {@code run}, a started run of {@code playbook} whose health play the
   * caller has read: opens its gates, and ends it before any kill or restore runs on its own.
   */
  public RestartResult restart(Server s, RestartPlaybook playbook, GatedRun run) {
    listener.restartStarted(s.name());
    RestartResult result = steps(s, new Gated(playbook, run));
    journal.done(s.name());
    if (result.ok()) {
      listener.restartSucceeded(s.name(), result);
    } else {
      listener.restartFailed(s.name(), result);
    }
    return result;
  }

  /** The drain and the cycle through the gated run while it lasts, on their own runs after it. */
  private final class Gated {
    private final RestartPlaybook playbook;
    private final GatedRun run;
    private boolean ended;

    Gated(RestartPlaybook playbook, GatedRun run) {
      this.playbook = playbook;
      this.run = run;
    }

    Ran phase(Server s, Gate gate, Phase phase) {
      if (ended) {
        PhasePlaybook alone =
            switch (phase) {
              case DRAIN -> phases.withHooks(phases.drain(s), Phase.DRAIN);
              case IDLE -> phases.idle(s, cmsdWait);
              default -> phases.withHooks(phases.cycle(s), Phase.CYCLE);
            };
        return NodeRestart.this.run(s, phase, alone);
      }
      journal.beforePhase(s.name(), phase);
      listener.phaseStarted(s.name(), phase.id());
      if (gate != null) {
        run.open(gate);
      }
      RunResult result = run.await(phase);
      listener.phaseFinished(s.name(), PhaseReport.of(phase, s.name(), result));
      Ran ran = new Ran(phase, playbook.section(phase), result.host(s.name()), result.runDir());
      if (!ran.ok()) {
        end();
      }
      return ran;
    }

    /** Adds how the drain ended to the run's record. */
    void record(Drain d) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("seconds", d.took().toMillis() / 1000.0);
      m.put("ended_by", d.endedBy().id());
      m.put("detail", d.detail());
      run.record("drain", m);
    }

    /** Whether the run waits after the drain until no file is open (drain_until_idle). */
    boolean untilIdle() {
      return playbook.sections().stream().anyMatch(p -> p.phase() == Phase.IDLE);
    }

    /** Ends the run (it stops at its next gate), so that nothing else runs on the server. */
    void end() {
      if (!ended) {
        ended = true;
        run.close();
      }
    }
  }

  private RestartResult steps(Server s, Gated gated) {
    Ran drain = gated.phase(s, Gate.SLOT, Phase.DRAIN);
    if (!drain.ok()) {
      Optional<RestartResult> failed = afterFailure(s, drain);
      if (failed.isPresent()) {
        return failed.get();
      }
    }

    boolean untilIdle = gated.untilIdle();
    listener.waiting(s.name(), cmsdWait, untilIdle);
    long waitStart = System.nanoTime();
    Drain drained;
    boolean cut = false;
    if (untilIdle) {
      Ran idle = gated.phase(s, null, Phase.IDLE);
      if (!idle.ok() && !stopping.getAsBoolean()) {
        Optional<RestartResult> failed = afterFailure(s, idle);
        if (failed.isPresent()) {
          return failed.get();
        }
      }
      drained = Drain.of(since(waitStart), idle.host().stdout(Phases.IDLE_TASK));
    } else {
      cut = !waiter.await(cmsdWait);
      drained = Drain.fixed(since(waitStart));
    }
    if (cut || stopping.getAsBoolean()) {
      gated.end();
      Restore r = restore(s);
      return new RestartResult(
          Status.INTERRUPTED,
          Optional.of("wait"),
          "shutdown during the wait after drain; " + r.text(),
          Optional.empty(),
          !r.ok());
    }
    listener.drained(s.name(), drained);
    gated.record(drained);

    Ran cycle = gated.phase(s, Gate.CYCLE, Phase.CYCLE);
    gated.end();
    if (cycle.ok()) {
      return RestartResult.success("drained " + drained.describe());
    }
    Optional<RestartResult> failed = afterFailure(s, cycle);
    if (failed.isPresent()) {
      return failed.get();
    }
    // xrootd would not stop but SIGKILL stopped it: restore starts xrootd, then cmsd, which
    // completes the restart.
    Restore r = restore(s);
    return r.ok()
        ? RestartResult.success(
            s.xrootdUnit() + " did not stop within service_timeout and was killed with SIGKILL")
        : new RestartResult(
            Status.FAILED,
            cycle.step(),
            "after SIGKILL of " + s.xrootdUnit() + ": " + r.text(),
            cycle.dir(),
            true);
  }

  /**
   * Carries out what {@link FailurePolicy} says a failed phase leads to. Empty means a unit would
   * not stop, SIGKILL stopped it, and the restart may go on; otherwise the restart's result.
   */
  private Optional<RestartResult> afterFailure(Server s, Ran failed) {
    Optional<String> hookTask =
        failed
            .host()
            .step()
            .filter(failed.playbook()::isHookTask)
            .filter(t -> failed.host().outcome() == Outcome.FAILED && !stopping.getAsBoolean());
    if (hookTask.isPresent()) {
      return Optional.of(hookFailed(s, failed, hookTask.get()));
    }
    Optional<Step> step = failed.host().step().flatMap(failed.playbook()::step);
    switch (FailurePolicy.afterStep(step, failed.host().outcome(), stopping.getAsBoolean())) {
      case INTERRUPTED -> {
        Restore r = restore(s);
        return Optional.of(
            new RestartResult(
                Status.INTERRUPTED,
                failed.step(),
                "shutdown during " + failed.phase().id() + "; " + r.text(),
                failed.dir(),
                !r.ok()));
      }
      case UNREACHABLE -> {
        return Optional.of(unreachable(failed));
      }
      case NOT_SERVING -> {
        return Optional.of(
            new RestartResult(
                Status.FAILED,
                failed.step(),
                NOT_SERVING + ": " + failed.host().message(),
                failed.dir(),
                false));
      }
      case RESTORE -> {
        return Optional.of(
            alertThenRestore(
                s, Status.FAILED, failed.step(), failed.host().message(), failed.dir()));
      }
      case KILL -> {
        String unit = step.orElseThrow().unit();
        Ran kill = run(s, Phase.KILL, phases.kill(s, unit));
        String stuck =
            unit
                + " is stuck: it did not stop within service_timeout, nor after SIGKILL ("
                + kill.host().message()
                + ")";
        return switch (FailurePolicy.afterKill(kill.host().outcome(), escalateReboot)) {
          case GO_ON -> Optional.empty();
          case UNREACHABLE -> Optional.of(unreachable(kill));
          case STUCK ->
              Optional.of(alertThenRestore(s, Status.STUCK, failed.step(), stuck, kill.dir()));
          case REBOOT -> {
            listener.restartFailing(
                s.name(), new RestartResult(Status.STUCK, failed.step(), stuck, kill.dir(), true));
            Ran reboot = run(s, Phase.REBOOT, phases.reboot(s));
            yield Optional.of(
                new RestartResult(
                    Status.STUCK,
                    failed.step(),
                    stuck
                        + "; rebooted the server as a last"
                        + " resort (escalate_reboot; "
                        + (reboot.ok() ? "reboot accepted" : reboot.host().message())
                        + ")",
                    kill.dir(),
                    true));
          }
        };
      }
      default -> throw new IllegalStateException();
    }
  }

  /**
   * A site's hook failed: before the drain, nothing was stopped; after the cycle, the server is up.
   * Either way nothing is restored, and the restart's alert says which.
   */
  private static RestartResult hookFailed(Server s, Ran failed, String task) {
    boolean pre = failed.phase() == Phase.DRAIN;
    String kind = pre ? "pre_restart_tasks" : "post_restart_tasks";
    return new RestartResult(
        Status.FAILED,
        Optional.of(kind),
        kind
            + " failed at '"
            + task
            + "': "
            + failed.host().message()
            + (pre
                ? "; nothing on " + s.name() + " was stopped"
                : "; " + s.cmsdUnit() + " and " + s.xrootdUnit() + " are running again"),
        failed.dir(),
        false);
  }

  /**
   * Alerts first (the restart alert must not wait for restore), then restores; the result says
   * both.
   */
  private RestartResult alertThenRestore(
      Server s, Status status, Optional<String> step, String what, Optional<Path> dir) {
    listener.restartFailing(
        s.name(), new RestartResult(status, step, what + "; restoring", dir, true));
    Restore r = restore(s);
    return new RestartResult(status, step, what + "; " + r.text(), dir, !r.ok());
  }

  private Ran run(Server s, Phase phase, PhasePlaybook playbook) {
    journal.beforePhase(s.name(), phase);
    listener.phaseStarted(s.name(), phase.id());
    RunResult result = runner.run(playbook);
    listener.phaseFinished(s.name(), PhaseReport.of(phase, s.name(), result));
    return new Ran(phase, playbook, result.host(s.name()), result.runDir());
  }

  static String why(UncheckedIOException e) {
    return e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage());
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private static RestartResult unreachable(Ran r) {
    boolean touched = !r.host().tasks().isEmpty();
    return new RestartResult(Status.UNREACHABLE, r.step(), r.host().message(), r.dir(), touched);
  }

  /** Starts whatever is not active. Runs even when shutdown interrupted the thread. */
  private Restore restore(Server s) {
    boolean interrupted = Thread.interrupted();
    try {
      Ran r;
      try {
        r = run(s, Phase.RESTORE, phases.restore(s));
      } catch (UncheckedIOException e) {
        // its run directory cannot be made (state_dir turned read-only or full): the server is
        // marked for a restore, tried again at the next slot, and the daemon goes on
        return new Restore(false, "RESTORE FAILED: it cannot be started (" + why(e) + ")");
      }
      return r.ok()
          ? new Restore(true, "restore: both units active")
          : new Restore(
              false,
              "RESTORE FAILED"
                  + r.host().step().map(st -> " at '" + st + "'").orElse("")
                  + ": "
                  + r.host().message());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
