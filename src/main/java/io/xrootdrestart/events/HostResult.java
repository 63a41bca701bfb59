package io.xrootdrestart.events;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a phase ended on one server.
 *
 * @param step the name of the task that failed or timed out; empty when OK or unreachable before
 *     any task
 * @param message Ansible's message, with the command's exit code and output when it had any
 * @param tasks every task result for this host, in order
 */
public record HostResult(
    String host, Outcome outcome, Optional<String> step, String message, List<TaskResult> tasks) {
  public HostResult {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(step, "step");
    message = message == null ? "" : message;
    tasks = List.copyOf(tasks);
  }

  public boolean ok() {
    return outcome == Outcome.OK;
  }

  /** The stdout of the named task, if it ran. */
  public Optional<String> stdout(String task) {
    return tasks.stream()
        .filter(t -> t.task().equals(task) && !t.status().equals("skipped"))
        .map(TaskResult::stdout)
        .findFirst();
  }

  /** "lab1: FAILED at 'Start xrootd@cluster': non-zero return code (rc 1) ..." */
  public String describe() {
    return host
        + ": "
        + outcome
        + step.map(s -> " at '" + s + "'").orElse("")
        + (message.isEmpty() ? "" : ": " + message);
  }
}
