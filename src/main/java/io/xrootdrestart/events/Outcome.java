package io.xrootdrestart.events;

/** How a phase ended on one server. */
public enum Outcome {
  /** Every task succeeded. */
  OK,
  /** A task failed: the step, rc and message say which and why. */
  FAILED,
  /** Ansible could not reach the server (SSH). */
  UNREACHABLE,
  /** A task ran past its timeout, or the whole run was stopped for running too long. */
  TIMED_OUT
}
