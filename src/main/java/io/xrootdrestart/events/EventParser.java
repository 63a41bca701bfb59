package io.xrootdrestart.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.StepScript;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the {@code ansible.posix.jsonl} event stream of one run into a result per host. Fed line by
 * line while the run goes; lines that are not events are kept as noise for the message. Hosts that
 * never reported (the run was killed, or Ansible failed before it started) are accounted for too.
 */
public final class EventParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Ansible's message when a task's {@code timeout:} passes. */
  private static final Pattern TASK_TIMEOUT =
      Pattern.compile("failed to execute in the expected time frame");

  private static final int MAX_TEXT = 2000;

  private final Phase phase;
  private final List<String> hosts;
  private final Map<String, List<TaskResult>> tasks = new LinkedHashMap<>();
  private final Map<String, StepScript> scripts;
  private final java.util.Set<String> delegated = new java.util.HashSet<>();
  private final Map<String, HostResult> finished = new LinkedHashMap<>();
  private final List<String> noise = new ArrayList<>();
  private JsonNode stats;

  public EventParser(Phase phase, List<String> hosts) {
    this(phase, hosts, Map.of());
  }

  /**
   * @param scripts the step script of each task that runs one, by task name: a failed script's exit
   *     code names the step that failed, which a failure then reports
   */
  public EventParser(Phase phase, List<String> hosts, Map<String, StepScript> scripts) {
    this.phase = phase;
    this.hosts = List.copyOf(hosts);
    this.scripts = Map.copyOf(scripts);
    for (String h : hosts) {
      tasks.put(h, new ArrayList<>());
    }
  }

  /** The parser of a run of {@code playbook}, or of its play in a longer run. */
  public static EventParser of(PhasePlaybook playbook) {
    Map<String, StepScript> scripts = new LinkedHashMap<>();
    playbook.play().tasks().stream()
        .filter(t -> t.script() != null)
        .forEach(t -> scripts.put(t.name(), t.script()));
    return new EventParser(playbook.phase(), playbook.hosts(), scripts);
  }

  /** Whether every host of the play has a result for the task called {@code task}. */
  public boolean allReported(String task) {
    return tasks.values().stream().allMatch(l -> l.stream().anyMatch(t -> t.task().equals(task)));
  }

  /** One line of the stream. */
  public void accept(String line) {
    if (line.isBlank()) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      noise.add(line);
      return;
    }
    accept(event);
  }

  /** One event, already read. */
  public void accept(JsonNode event) {
    String type = event.path("_event").asText();
    switch (type) {
      case "v2_runner_on_ok" -> each(event, "ok");
      case "v2_runner_on_failed" -> each(event, "failed");
      case "v2_runner_on_unreachable" -> each(event, "unreachable");
      case "v2_runner_on_skipped" -> each(event, "skipped");
      case "v2_playbook_on_stats" -> stats = event.path("stats");
      default -> {
        // play and task starts carry nothing per host
      }
    }
  }

  private void each(JsonNode event, String status) {
    String task = event.path("task").path("name").asText();
    event
        .path("hosts")
        .fields()
        .forEachRemaining(e -> record(e.getKey(), task, status, e.getValue()));
  }

  private void record(String host, String task, String status, JsonNode r) {
    if (delegatedItems(task, r)) {
      return;
    }
    if (!tasks.containsKey(host)) {
      return; // not a target of this run (cannot happen with the generated playbooks)
    }
    boolean ignored = r.path("ignore_errors").asBoolean(false);
    TaskResult result =
        new TaskResult(
            task,
            status,
            r.has("rc") ? r.path("rc").asInt() : -1,
            clip(r.path("stdout").asText("").stripTrailing()),
            clip(r.path("stderr").asText("").stripTrailing()),
            clip(r.path("msg").asText("")));
    tasks.get(host).add(result);
    if (finished.containsKey(host) || ignored) {
      return;
    }
    if (status.equals("failed")) {
      Outcome outcome =
          TASK_TIMEOUT.matcher(result.message()).find() ? Outcome.TIMED_OUT : Outcome.FAILED;
      String step = task;
      Optional<StepScript.Failure> failure =
          Optional.ofNullable(scripts.get(task)).flatMap(sc -> sc.failure(result.rc()));
      if (failure.isPresent()) {
        step = failure.get().step().name();
        outcome = failure.get().timedOut() ? Outcome.TIMED_OUT : Outcome.FAILED;
      }
      finished.put(
          host,
          new HostResult(host, outcome, Optional.of(step), describe(result), tasks.get(host)));
    } else if (status.equals("unreachable")) {
      finished.put(
          host,
          new HostResult(
              host, Outcome.UNREACHABLE, Optional.of(task), result.message(), tasks.get(host)));
    }
  }

  /**
   * A task delegated in a loop over hosts (the health play's shards) reports all its items under
   * the host it ran for: each item is recorded as the result of the host it names.
   */
  private boolean delegatedItems(String task, JsonNode r) {
    JsonNode items = r.path("results");
    if (!items.isArray() || items.isEmpty()) {
      return false;
    }
    for (JsonNode item : items) {
      if (!tasks.containsKey(item.path("item").asText(""))) {
        return false;
      }
    }
    for (JsonNode item : items) {
      String status =
          item.path("unreachable").asBoolean(false)
              ? "unreachable"
              : item.path("failed").asBoolean(false)
                  ? "failed"
                  : item.path("skipped").asBoolean(false) ? "skipped" : "ok";
      delegated.add(item.path("item").asText());
      record(item.path("item").asText(), task, status, item);
    }
    return true;
  }

  /** "non-zero return code (rc 1); stderr: Job for x failed; stdout: failed". */
  static String describe(TaskResult r) {
    StringBuilder b = new StringBuilder(r.message().isEmpty() ? "failed" : r.message());
    if (r.rc() >= 0) {
      b.append(" (rc ").append(r.rc()).append(')');
    }
    if (!r.stderr().isBlank()) {
      b.append("; stderr: ").append(r.stderr().strip());
    }
    if (!r.stdout().isBlank()) {
      b.append("; stdout: ").append(r.stdout().strip());
    }
    return b.toString();
  }

  private static String clip(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
  }

  /**
   * The run's result once the process has ended.
   *
   * @param exitCode ansible-playbook's exit code (-1 if it was killed)
   * @param killed whether the runner stopped it for running past its budget
   * @param stderr what ansible-playbook printed on standard error, for hosts that never reported
   */
  public RunResult finish(
      int exitCode, Duration duration, boolean killed, String stderr, Optional<Path> runDir) {
    Map<String, HostResult> results = new LinkedHashMap<>();
    for (String host : hosts) {
      List<TaskResult> done = tasks.get(host);
      HostResult r = finished.get(host);
      if (r == null) {
        r = unfinished(host, done, exitCode, duration, killed, stderr);
      }
      results.put(
          host, new HostResult(r.host(), r.outcome(), r.step(), r.message(), List.copyOf(done)));
    }
    return new RunResult(phase, results, exitCode, duration, killed, runDir);
  }

  /**
   * The result of a play that is over while the run goes on: a host that did not fail and ran its
   * tasks is done; one that ran none (or whose tasks were all skipped: a gate said stop) never got
   * there.
   */
  public RunResult finishPlay(Duration duration, Optional<Path> runDir) {
    Map<String, HostResult> results = new LinkedHashMap<>();
    for (String host : hosts) {
      List<TaskResult> done = List.copyOf(tasks.get(host));
      HostResult r = finished.get(host);
      if (r != null) {
        r = new HostResult(r.host(), r.outcome(), r.step(), r.message(), done);
      } else if (done.stream().allMatch(t -> t.status().equals("skipped"))) {
        r =
            new HostResult(
                host,
                Outcome.FAILED,
                Optional.empty(),
                "the " + phase.id() + " play ran nothing on it",
                done);
      } else {
        r = new HostResult(host, Outcome.OK, Optional.empty(), "", done);
      }
      results.put(host, r);
    }
    boolean failed = results.values().stream().anyMatch(h -> !h.ok());
    return new RunResult(phase, results, failed ? 2 : 0, duration, false, runDir);
  }

  private HostResult unfinished(
      String host,
      List<TaskResult> done,
      int exitCode,
      Duration duration,
      boolean killed,
      String stderr) {
    JsonNode s = stats == null ? null : stats.get(host);
    if (!killed
        && s != null
        && s.path("failures").asInt() == 0
        && s.path("unreachable").asInt() == 0) {
      return new HostResult(host, Outcome.OK, Optional.empty(), "", done);
    }
    if (!killed && delegated.contains(host) && !done.isEmpty()) {
      // read by another host's worker (a shard's item): no stats of its own, and it did not fail
      return new HostResult(host, Outcome.OK, Optional.empty(), "", done);
    }
    Optional<String> last =
        done.isEmpty() ? Optional.empty() : Optional.of(done.get(done.size() - 1).task());
    if (killed) {
      return new HostResult(
          host,
          Outcome.TIMED_OUT,
          last,
          "the run was stopped after "
              + duration.toSeconds()
              + " s"
              + last.map(t -> " (last finished task: " + t + ")").orElse(""),
          done);
    }
    String why = String.join(" ", noise) + " " + stderr;
    why = why.replaceAll("\\s+", " ").strip();
    return new HostResult(
        host,
        Outcome.FAILED,
        last,
        "ansible-playbook exited with "
            + exitCode
            + " without a result for this host"
            + (why.isEmpty() ? "" : ": " + clip(why)),
        done);
  }
}
