package io.xrootdrestart.restart;

import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.playbook.RestartSequence.OnFailure;
import io.xrootdrestart.playbook.Step;
import java.util.Optional;

/**
 * What a failed step of a restart leads to: a pure function of the step (and what the sequence says
 * its failure leads to), how it failed, and whether the daemon is stopping. {@link NodeRestart}
 * carries the reaction out; the tests read this as a table.
 */
public final class FailurePolicy {
  private FailurePolicy() {}

  /** After a failed drain or cycle step. */
  public enum Reaction {
    /** The daemon is stopping: restore, and report the restart as interrupted. */
    INTERRUPTED,
    /** The server cannot be reached: do nothing more; restore it once it answers. */
    UNREACHABLE,
    /** The unit would not stop: SIGKILL it (then {@link #afterKill}). */
    KILL,
    /** Alert that the restart failed, then restore. */
    RESTORE,
    /**
     * The units run but the server does not serve: alert "not serving after restart"; nothing to
     * restore, and the rotation waits until the server serves.
     */
    NOT_SERVING
  }

  /** After the SIGKILL of a unit that would not stop. */
  public enum AfterKill {
    /** It stopped: the restart goes on. */
    GO_ON,
    /** The server cannot be reached. */
    UNREACHABLE,
    /** The unit is stuck: alert, then reboot the server (escalate_reboot). */
    REBOOT,
    /** The unit is stuck: alert, then restore (which starts what it can). */
    STUCK
  }

  /**
   * @param step the step that failed, if the failure names one of the sequence's steps
   * @param outcome how it failed (never {@link Outcome#OK})
   * @param stopping whether shutdown was requested
   */
  public static Reaction afterStep(Optional<Step> step, Outcome outcome, boolean stopping) {
    if (stopping) {
      return Reaction.INTERRUPTED;
    }
    if (outcome == Outcome.UNREACHABLE) {
      return Reaction.UNREACHABLE;
    }
    OnFailure on = step.map(Step::onFailure).orElse(OnFailure.RESTORE);
    if (on == OnFailure.NOT_SERVING) {
      return Reaction.NOT_SERVING;
    }
    boolean kill =
        on == OnFailure.KILL || (on == OnFailure.KILL_ON_TIMEOUT && outcome == Outcome.TIMED_OUT);
    return kill ? Reaction.KILL : Reaction.RESTORE;
  }

  public static AfterKill afterKill(Outcome outcome, boolean escalateReboot) {
    return switch (outcome) {
      case OK -> AfterKill.GO_ON;
      case UNREACHABLE -> AfterKill.UNREACHABLE;
      default -> escalateReboot ? AfterKill.REBOOT : AfterKill.STUCK;
    };
  }
}
