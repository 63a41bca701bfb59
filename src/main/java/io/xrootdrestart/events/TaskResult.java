package io.xrootdrestart.events;

import java.util.Objects;

/**
 * What one task reported for one host.
 *
 * @param status "ok", "failed", "skipped" or "unreachable"
 * @param rc the remote command's exit code, -1 when it has none (unreachable, timed out, skipped)
 */
public record TaskResult(
    String task, String status, int rc, String stdout, String stderr, String message) {
  public TaskResult {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(status, "status");
    stdout = stdout == null ? "" : stdout;
    stderr = stderr == null ? "" : stderr;
    message = message == null ? "" : message;
  }
}
