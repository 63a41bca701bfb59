package io.xrootdrestart.playbook;

import java.util.Objects;

/** What one task does to which unit; lets the restart logic react to the step that failed. */
public record Step(Kind kind, String unit) {
  public enum Kind {
    /** {@code systemctl stop}. */
    STOP,
    /** {@code systemctl start}. */
    START,
    /** {@code systemctl kill --signal=SIGKILL}. */
    KILL,
    /** Poll until the unit is inactive (or failed). */
    WAIT_STOPPED,
    /** Poll until the unit is active. */
    WAIT_ACTIVE,
    /** Read the unit's state; never fails. */
    READ_STATE,
    /** {@code systemctl reboot}. */
    REBOOT
  }

  public Step {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(unit, "unit");
  }
}
