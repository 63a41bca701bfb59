package io.xrootdrestart.restart;

import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one remote phase of a restart ended on its server, as listeners see it (metrics, alerts, the
 * command line): no Ansible types cross this line.
 *
 * @param phase "drain", "cycle", "restore", "kill" or "reboot"
 * @param outcome "ok", "failed", "unreachable" or "timed_out"
 * @param step the task that failed ("Stop cmsd@cluster"), when one did
 * @param message what went wrong, empty when ok
 * @param runDir where the run's playbook, events and stderr are kept
 */
public record PhaseReport(
    String phase,
    String outcome,
    Optional<String> step,
    String message,
    Duration took,
    Optional<Path> runDir) {
  public PhaseReport {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(step, "step");
    message = message == null ? "" : message;
    Objects.requireNonNull(took, "took");
    Objects.requireNonNull(runDir, "runDir");
  }

  /** The report of {@code server}'s part of a phase run. */
  static PhaseReport of(Phase phase, String server, RunResult run) {
    HostResult h = run.host(server);
    return new PhaseReport(
        phase.id(),
        h.outcome().name().toLowerCase(java.util.Locale.ROOT),
        h.step(),
        h.ok() ? "" : h.message(),
        run.duration(),
        run.runDir());
  }

  public boolean ok() {
    return outcome.equals("ok");
  }

  /** "FAILED at 'Stop cmsd@cluster': unit failed", or "ok". */
  public String describe() {
    return ok()
        ? "ok"
        : outcome.toUpperCase(java.util.Locale.ROOT)
            + step.map(s -> " at '" + s + "'").orElse("")
            + ": "
            + message;
  }
}
