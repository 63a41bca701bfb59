package io.xrootdrestart.testing;

import io.xrootdrestart.ansible.PlaybookRunner;
import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.events.TaskResult;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A PlaybookRunner for unit tests: answers each phase from a script (ok unless told), and records
 * the calls.
 */
public class ScriptedRunner implements PlaybookRunner {
  private final Map<Phase, Deque<Answer>> script = new EnumMap<>(Phase.class);
  private final List<PhasePlaybook> calls = new ArrayList<>();
  private final Map<String, String[]> states = new java.util.HashMap<>();
  private final java.util.Set<String> unreachable = new java.util.HashSet<>();
  private java.time.Clock clock = java.time.Clock.systemUTC();
  private Duration cost = Duration.ZERO;
  private final List<java.time.Instant> times = new ArrayList<>();

  private int failingStarts;

  /**
   * The next {@code n} restart runs cannot start, as when their directory under a state_dir turned
   * read-only cannot be made.
   */
  public ScriptedRunner failStarts(int n) {
    failingStarts = n;
    return this;
  }

  @Override
  public io.xrootdrestart.ansible.GatedRun start(io.xrootdrestart.playbook.RestartPlaybook p) {
    if (failingStarts > 0) {
      failingStarts--;
      throw new java.io.UncheckedIOException(
          "cannot create a run directory under /var/lib/xrootdrestart/runs",
          new java.io.IOException("Read-only file system"));
    }
    return PlaybookRunner.super.start(p);
  }

  /** Each run takes {@code cost} on {@code clock} (a MutableClock is moved). */
  public ScriptedRunner timed(java.time.Clock c, Duration perRun) {
    this.clock = c;
    this.cost = perRun;
    return this;
  }

  /** What the health check reads on {@code host} from now on (default: both active). */
  public ScriptedRunner health(String host, String cmsd, String xrootd) {
    states.put(host, new String[] {cmsd, xrootd});
    return this;
  }

  private final Map<String, String> cmsAnswers = new java.util.HashMap<>();

  /**
   * What {@code host}'s xrootd answers the xrootd check's query from now on (default: in the
   * cluster, "all.role server /a"; "" for no answer).
   */
  public ScriptedRunner answers(String host, String answer) {
    cmsAnswers.put(host, answer);
    return this;
  }

  /** Every phase on {@code host} is unreachable from now on (or again reachable with false). */
  public ScriptedRunner unreachable(String host, boolean on) {
    if (on) {
      unreachable.add(host);
    } else {
      unreachable.remove(host);
    }
    return this;
  }

  /** When each run started, on the runner's clock. */
  public List<java.time.Instant> times() {
    return List.copyOf(times);
  }

  /** How one host answers one run. */
  public record Answer(Outcome outcome, String step, String message, boolean ranTasks) {}

  /** The next run of {@code phase} ends with {@code outcome} at {@code step} on every host. */
  public ScriptedRunner then(Phase phase, Outcome outcome, String step, String message) {
    script
        .computeIfAbsent(phase, p -> new ArrayDeque<>())
        .add(new Answer(outcome, step, message, true));
    return this;
  }

  private final Map<String, String> outputs = new java.util.HashMap<>();

  /** What the task called {@code task} prints when it succeeds (otherwise "active"). */
  public ScriptedRunner says(String task, String stdout) {
    outputs.put(task, stdout);
    return this;
  }

  /** Unreachable before any task ran. */
  public ScriptedRunner unreachableAtOnce(Phase phase) {
    script
        .computeIfAbsent(phase, p -> new ArrayDeque<>())
        .add(new Answer(Outcome.UNREACHABLE, null, "no route to host", false));
    return this;
  }

  private java.util.function.Consumer<PhasePlaybook> onRun = p -> {};

  /** Calls {@code c} as each playbook starts, before anything else. */
  public ScriptedRunner onRun(java.util.function.Consumer<PhasePlaybook> c) {
    this.onRun = c;
    return this;
  }

  @Override
  public RunResult run(PhasePlaybook playbook) {
    onRun.accept(playbook);
    calls.add(playbook);
    times.add(clock.instant());
    if (clock instanceof MutableClock m) {
      m.advance(cost);
    }
    Deque<Answer> answers = script.get(playbook.phase());
    Answer a = answers == null || answers.isEmpty() ? null : answers.poll();
    Map<String, HostResult> hosts = new LinkedHashMap<>();
    for (String h : playbook.hosts()) {
      if (unreachable.contains(h)) {
        hosts.put(
            h,
            new HostResult(
                h,
                Outcome.UNREACHABLE,
                Optional.of(playbook.play().tasks().get(0).name()),
                "no route to host",
                List.of(
                    new TaskResult(
                        playbook.play().tasks().get(0).name(), "unreachable", -1, "", "", ""))));
      } else if (a == null) {
        String[] st = states.getOrDefault(h, new String[] {"active", "active"});
        List<TaskResult> tasks =
            playbook.play().tasks().stream()
                .map(
                    t ->
                        new TaskResult(
                            t.name(),
                            "ok",
                            0,
                            t.name().equals(io.xrootdrestart.playbook.Phases.HEALTH_TASK)
                                ? st[0]
                                    + "\n"
                                    + st[1]
                                    + "\n"
                                    + cmsAnswers.getOrDefault(h, "all.role server /a")
                                : outputs.getOrDefault(t.name(), "active"),
                            "",
                            ""))
                .toList();
        hosts.put(h, new HostResult(h, Outcome.OK, Optional.empty(), "", tasks));
      } else {
        List<TaskResult> tasks =
            a.ranTasks()
                ? List.of(new TaskResult(a.step(), "failed", 1, "", "", a.message()))
                : List.of();
        hosts.put(
            h, new HostResult(h, a.outcome(), Optional.ofNullable(a.step()), a.message(), tasks));
      }
    }
    int exit = a == null ? 0 : a.outcome() == Outcome.UNREACHABLE ? 4 : 2;
    return new RunResult(
        playbook.phase(),
        hosts,
        exit,
        Duration.ofMillis(5),
        false,
        Optional.of(Path.of("/runs/" + calls.size() + "-" + playbook.phase().id())));
  }

  /** The phases run so far, in order: "drain lab1", "cycle lab1", ... */
  public List<String> calls() {
    return calls.stream().map(PhasePlaybook::label).toList();
  }

  public List<PhasePlaybook> playbooks() {
    return List.copyOf(calls);
  }
}
