package io.xrootdrestart.playbook;

import java.util.Objects;

/**
 * What one task does to which unit, and what its failure leads to ({@link RestartSequence}); lets
 * the restart logic react to the step that failed.
 */
public record Step(Kind kind, String unit, RestartSequence.OnFailure onFailure) {
  public enum Kind {
    /** {@code systemctl stop}. */
    STOP(RemoteCommand.STOP),
    /** {@code systemctl start}. */
    START(RemoteCommand.START),
    /** {@code systemctl start}, skipped when the unit read before is already active. */
    START_UNLESS_ACTIVE(RemoteCommand.START),
    /** {@code systemctl kill --signal=SIGKILL}. */
    KILL(RemoteCommand.KILL),
    /** Poll until the unit is inactive (or failed). */
    WAIT_STOPPED(RemoteCommand.IS_ACTIVE),
    /** Poll until the unit is active. */
    WAIT_ACTIVE(RemoteCommand.IS_ACTIVE),
    /** Read the unit's state; never fails. */
    READ_STATE(RemoteCommand.IS_ACTIVE),
    /** {@code systemctl reboot}. */
    REBOOT(RemoteCommand.REBOOT),
    /**
     * Poll the server's xrootd until it says it is in the cluster (health_check xrootd); runs
     * {@code xrdfs} as the daemon's account, no sudo.
     */
    WAIT_SERVING(null),
    /**
     * Poll the server's xrootd until no file is open on it for reading or writing, at most a bound
     * (drain_until_idle); never fails, its output says how it ended. Runs {@code xrdfs} as the
     * daemon's account, no sudo.
     */
    WAIT_IDLE(null);

    private final RemoteCommand command;

    Kind(RemoteCommand command) {
      this.command = command;
    }

    /**
     * The sudo command this kind of step runs; null for {@link #WAIT_SERVING} and {@link
     * #WAIT_IDLE}, which need none.
     */
    public RemoteCommand command() {
      return command;
    }
  }

  public Step {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(onFailure, "onFailure");
  }
}
