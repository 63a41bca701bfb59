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
    REBOOT(RemoteCommand.REBOOT);

    private final RemoteCommand command;

    Kind(RemoteCommand command) {
      this.command = command;
    }

    /** The remote command this kind of step runs. */
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
