package io.xrootdrestart.restart;

import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.state.DaemonState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon is doing and did lately, for the status page: the restart under way step by step,
 * the last health check, what the guard last said, and the restarts of the last {@link #WINDOW} (at
 * most {@link #MAX_RESTARTS}, oldest dropped first), all in memory. A listener: the daemon's thread
 * writes, the HTTP server's threads read {@link #snapshot()}, an immutable copy.
 */
public final class Activity implements RestartListener {
  public static final Duration WINDOW = Duration.ofHours(24);

  /** At most this many past restarts are kept: a bound on memory and on the size of /status. */
  public static final int MAX_RESTARTS = 500;

  public static final String IN_PROGRESS = "in progress";

  /**
   * One step of a restart: {@code drain}, {@code wait} (cmsd_wait, in the daemon), {@code cycle},
   * {@code kill}, {@code restore} or {@code reboot}.
   *
   * @param outcome how its Ansible run ended (ok, failed, unreachable, timed_out); empty while it
   *     runs and for the wait
   * @param until for the wait, when it ends
   */
  public record Step(
      String name,
      Instant start,
      Optional<Instant> end,
      Optional<String> outcome,
      Optional<Path> runDir,
      Optional<Instant> until) {
    public Step {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(runDir, "runDir");
      Objects.requireNonNull(until, "until");
    }

    Step ended(Instant at, Optional<String> how, Optional<Path> dir) {
      return new Step(name, start, Optional.of(at), how, dir.or(() -> runDir), until);
    }
  }

  /**
   * One restart, under way or past.
   *
   * @param end empty while under way, and for a restart known only from the state file (before this
   *     daemon started: its duration and steps are not known)
   * @param outcome {@value #IN_PROGRESS}, or the outcome word of the state file (success, failed,
   *     ...)
   * @param failedStep the failing step ("cycle: Start xrootd@cluster"), if one failed
   * @param runDir the run directory of the failing phase, else of the last phase
   */
  public record Restart(
      String server,
      Instant start,
      Optional<Instant> end,
      String outcome,
      String message,
      Optional<String> failedStep,
      Optional<Path> runDir,
      List<Step> steps) {
    public Restart {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(outcome, "outcome");
      message = message == null ? "" : message;
      Objects.requireNonNull(failedStep, "failedStep");
      Objects.requireNonNull(runDir, "runDir");
      steps = List.copyOf(steps);
    }

    /** The step under way, if any. */
    public Optional<Step> currentStep() {
      return steps.isEmpty() || steps.get(steps.size() - 1).end().isPresent()
          ? Optional.empty()
          : Optional.of(steps.get(steps.size() - 1));
    }

    /** When it ended, or started for one whose end is not known: what ages it out. */
    Instant last() {
      return end.orElse(start);
    }
  }

  /** What the guard last said, about which server, and when. */
  public record GuardView(String target, boolean proceeds, String reason, Instant at) {}

  /** The last health check and when it ran. */
  public record HealthView(FleetHealth health, Instant at) {}

  /** An immutable copy of everything, for one answer of /status. */
  public record Snapshot(
      Optional<Restart> current,
      List<Restart> recent,
      Optional<HealthView> health,
      Optional<GuardView> guard) {
    public Snapshot {
      recent = List.copyOf(recent);
    }

    /** The newest finished restart of {@code server} in the window, if any. */
    public Optional<Restart> last(String server) {
      for (int i = recent.size() - 1; i >= 0; i--) {
        if (recent.get(i).server().equals(server)) {
          return Optional.of(recent.get(i));
        }
      }
      return Optional.empty();
    }
  }

  private final Clock clock;
  private final Deque<Restart> recent = new ArrayDeque<>();
  private Restart current;
  private HealthView health;
  private GuardView guard;

  public Activity(Clock clock) {
    this.clock = Objects.requireNonNull(clock);
  }

  /**
   * Fills the timeline with what the state file knows: each server's last attempt, if it ended in
   * the window (its outcome and message; not its duration or steps, which only a running daemon
   * sees).
   */
  public synchronized Activity seed(DaemonState state) {
    List<Restart> known = new ArrayList<>();
    state
        .servers()
        .forEach(
            (server, r) ->
                r.lastAttempt()
                    .ifPresent(
                        at -> {
                          if (!r.outcome().isEmpty() && !r.outcome().equals(IN_PROGRESS)) {
                            known.add(
                                new Restart(
                                    server,
                                    at,
                                    Optional.empty(),
                                    r.outcome(),
                                    r.message(),
                                    Optional.empty(),
                                    Optional.empty(),
                                    List.of()));
                          }
                        }));
    known.sort(Comparator.comparing(Restart::start));
    known.forEach(recent::addLast);
    prune(clock.instant());
    return this;
  }

  public synchronized Snapshot snapshot() {
    prune(clock.instant());
    return new Snapshot(
        Optional.ofNullable(current),
        List.copyOf(recent),
        Optional.ofNullable(health),
        Optional.ofNullable(guard));
  }

  private void prune(Instant now) {
    Instant from = now.minus(WINDOW);
    while (!recent.isEmpty()
        && (recent.size() > MAX_RESTARTS || recent.peekFirst().last().isBefore(from))) {
      recent.removeFirst();
    }
  }

  @Override
  public synchronized void restartStarted(String server) {
    current =
        new Restart(
            server,
            clock.instant(),
            Optional.empty(),
            IN_PROGRESS,
            "",
            Optional.empty(),
            Optional.empty(),
            List.of());
  }

  @Override
  public synchronized void phaseStarted(String server, String phase) {
    if (phase.equals(io.xrootdrestart.playbook.Phase.IDLE.id())) {
      return; // the wait until idle is the wait step, with its time left
    }
    step(
        server,
        new Step(
            phase,
            clock.instant(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty()));
  }

  @Override
  public synchronized void waiting(String server, Duration wait, boolean untilIdle) {
    Instant now = clock.instant();
    step(
        server,
        new Step(
            "wait",
            now,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(now.plus(wait))));
  }

  /**
   * Ends the open step of the restart under way, if it is {@code server}'s, and starts {@code
   * next}.
   */
  private void step(String server, Step next) {
    if (current == null || !current.server().equals(server)) {
      return;
    }
    List<Step> steps =
        new ArrayList<>(closeOpen(current.steps(), Optional.empty(), Optional.empty()));
    steps.add(next);
    current = with(current, steps);
  }

  private List<Step> closeOpen(List<Step> steps, Optional<String> how, Optional<Path> dir) {
    if (steps.isEmpty() || steps.get(steps.size() - 1).end().isPresent()) {
      return steps;
    }
    List<Step> out = new ArrayList<>(steps);
    out.set(out.size() - 1, out.get(out.size() - 1).ended(clock.instant(), how, dir));
    return out;
  }

  private static Restart with(Restart r, List<Step> steps) {
    return new Restart(
        r.server(),
        r.start(),
        r.end(),
        r.outcome(),
        r.message(),
        r.failedStep(),
        r.runDir(),
        steps);
  }

  @Override
  public synchronized void phaseFinished(String server, PhaseReport report) {
    if (current == null || !current.server().equals(server)) {
      return; // a restore outside a restart (a server cut off earlier that answers again)
    }
    Optional<Step> open = current.currentStep();
    if (open.isPresent() && open.get().name().equals(report.phase())) {
      current =
          with(current, closeOpen(current.steps(), Optional.of(report.outcome()), report.runDir()));
    }
  }

  @Override
  public synchronized void restartSucceeded(String server, RestartResult result) {
    finish(server, result);
  }

  @Override
  public synchronized void restartFailed(String server, RestartResult result) {
    finish(server, result);
  }

  private void finish(String server, RestartResult result) {
    if (current == null || !current.server().equals(server)) {
      return;
    }
    List<Step> steps = closeOpen(current.steps(), Optional.empty(), Optional.empty());
    Optional<Path> dir =
        result
            .runDir()
            .or(
                () ->
                    steps.stream().map(Step::runDir).flatMap(Optional::stream).reduce((a, b) -> b));
    recent.addLast(
        new Restart(
            server,
            current.start(),
            Optional.of(clock.instant()),
            result.outcome(),
            result.message(),
            result.step(),
            dir,
            steps));
    current = null;
    prune(clock.instant());
  }

  @Override
  public synchronized void healthChecked(FleetHealth fleet) {
    health = new HealthView(fleet, clock.instant());
  }

  @Override
  public synchronized void guardPassed(String target, int healthyOthers, int minOk) {
    guard =
        new GuardView(
            target,
            true,
            healthyOthers
                + " other server"
                + (healthyOthers == 1 ? "" : "s")
                + " healthy, min_ok is "
                + minOk,
            clock.instant());
  }

  @Override
  public synchronized void guardHeld(String target, Decision.Hold hold) {
    guard = new GuardView(target, false, hold.reason(), clock.instant());
  }
}
