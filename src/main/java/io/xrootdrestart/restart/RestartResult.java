package io.xrootdrestart.restart;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How one server's restart ended.
 *
 * @param step the failing step ("drain: Stop cmsd@cluster"), when there is one
 * @param message what went wrong (Ansible's message), and what restore did about it
 * @param runDir the run directory of the failing phase, for the alert
 * @param needsRestore a unit may still be stopped and could not be started (the server is
 *     unreachable)
 */
public record RestartResult(
    Status status,
    Optional<String> step,
    String message,
    Optional<Path> runDir,
    boolean needsRestore) {
  public enum Status {
    /** Both units were restarted and are active. */
    SUCCESS,
    /** A step failed; restore was run. */
    FAILED,
    /** The server could not be reached; nothing more was tried. */
    UNREACHABLE,
    /** A unit would not stop even after SIGKILL. */
    STUCK,
    /** Shutdown stopped the restart; restore was run. */
    INTERRUPTED
  }

  public RestartResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(step, "step");
    message = message == null ? "" : message;
    Objects.requireNonNull(runDir, "runDir");
  }

  public static RestartResult success(String message) {
    return new RestartResult(Status.SUCCESS, Optional.empty(), message, Optional.empty(), false);
  }

  public boolean ok() {
    return status == Status.SUCCESS;
  }

  /** The outcome word kept in the state file: success, failed, unreachable, stuck, interrupted. */
  public String outcome() {
    return status.name().toLowerCase(java.util.Locale.ROOT);
  }
}
