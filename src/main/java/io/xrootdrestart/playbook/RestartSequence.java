package io.xrootdrestart.playbook;

import io.xrootdrestart.config.StartOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A node's restart as data: the steps of each phase, in order, which of the server's two units each
 * acts on, and what a failure at that step leads to. The phase playbooks ({@link Phases}), the
 * restart's failure handling ({@code restart.FailurePolicy}) and the sudo rule's command list
 * ({@link #commands}) all come from here, so a step added here is generated, handled and allowed
 * everywhere at once.
 */
public final class RestartSequence {
  private RestartSequence() {}

  /** Which of a server's units a step acts on. */
  public enum Unit {
    CMSD,
    XROOTD,
    /** The server itself (reboot). */
    NONE
  }

  /**
   * What a failure at a step leads to (unless the server is unreachable or the daemon is stopping).
   */
  public enum OnFailure {
    /** Alert, then start whatever is not active. */
    RESTORE,
    /** The unit did not reach inactive: SIGKILL it, then go on. */
    KILL,
    /** A stop that timed out: SIGKILL the unit, then go on; any other failure of it: RESTORE. */
    KILL_ON_TIMEOUT,
    /**
     * The units are active but the server does not serve: alert "not serving after restart"; no
     * restore (nothing is stopped), and the rotation waits for the server.
     */
    NOT_SERVING
  }

  /** One step: what it does, to which unit, and what its failure leads to. */
  public record StepSpec(Step.Kind kind, Unit unit, OnFailure onFailure) {
    public StepSpec {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(onFailure, "onFailure");
    }
  }

  private static StepSpec step(Step.Kind kind, Unit unit, OnFailure onFailure) {
    return new StepSpec(kind, unit, onFailure);
  }

  /** Stop cmsd, so the redirector sends the server no new clients. */
  public static final List<StepSpec> DRAIN =
      List.of(
          step(Step.Kind.STOP, Unit.CMSD, OnFailure.KILL_ON_TIMEOUT),
          step(Step.Kind.WAIT_STOPPED, Unit.CMSD, OnFailure.KILL));

  /**
   * After the drain, with drain_until_idle: wait until no file is open on the server, at most
   * cmsd_wait. The wait itself never fails; a failure to run it at all is followed by restore.
   */
  public static final List<StepSpec> IDLE =
      List.of(step(Step.Kind.WAIT_IDLE, Unit.XROOTD, OnFailure.RESTORE));

  /** Restart xrootd, then start cmsd; each verified. */
  public static final List<StepSpec> CYCLE = cycle(StartOrder.XROOTD_FIRST, false);

  /**
   * Stop xrootd, then start both units in {@code order}, each verified; with {@code verify}
   * (health_check xrootd), then wait until the server serves again.
   */
  public static List<StepSpec> cycle(StartOrder order, boolean verify) {
    Unit first = order == StartOrder.CMSD_FIRST ? Unit.CMSD : Unit.XROOTD;
    Unit second = first == Unit.CMSD ? Unit.XROOTD : Unit.CMSD;
    List<StepSpec> steps =
        new ArrayList<>(
            List.of(
                step(Step.Kind.STOP, Unit.XROOTD, OnFailure.KILL_ON_TIMEOUT),
                step(Step.Kind.WAIT_STOPPED, Unit.XROOTD, OnFailure.KILL),
                step(Step.Kind.START, first, OnFailure.RESTORE),
                step(Step.Kind.WAIT_ACTIVE, first, OnFailure.RESTORE),
                step(Step.Kind.START, second, OnFailure.RESTORE),
                step(Step.Kind.WAIT_ACTIVE, second, OnFailure.RESTORE)));
    if (verify) {
      steps.add(step(Step.Kind.WAIT_SERVING, Unit.XROOTD, OnFailure.NOT_SERVING));
    }
    return List.copyOf(steps);
  }

  /**
   * Start whichever unit is not active, xrootd first; a failure here is the end ("RESTORE FAILED").
   */
  public static final List<StepSpec> RESTORE =
      List.of(
          step(Step.Kind.READ_STATE, Unit.XROOTD, OnFailure.RESTORE),
          step(Step.Kind.START_UNLESS_ACTIVE, Unit.XROOTD, OnFailure.RESTORE),
          step(Step.Kind.WAIT_ACTIVE, Unit.XROOTD, OnFailure.RESTORE),
          step(Step.Kind.READ_STATE, Unit.CMSD, OnFailure.RESTORE),
          step(Step.Kind.START_UNLESS_ACTIVE, Unit.CMSD, OnFailure.RESTORE),
          step(Step.Kind.WAIT_ACTIVE, Unit.CMSD, OnFailure.RESTORE));

  /**
   * SIGKILL a unit that would not stop, then wait until it is stopped; {@code unit} is the one to
   * kill.
   */
  public static List<StepSpec> kill(Unit unit) {
    return List.of(
        step(Step.Kind.KILL, unit, OnFailure.RESTORE),
        step(Step.Kind.WAIT_STOPPED, unit, OnFailure.RESTORE));
  }

  /** The last resort for a unit that survives SIGKILL, only with escalate_reboot. */
  public static final List<StepSpec> REBOOT =
      List.of(step(Step.Kind.REBOOT, Unit.NONE, OnFailure.RESTORE));

  /** The state of both units, on every server; never fails a host. */
  public static final List<StepSpec> HEALTH =
      List.of(
          step(Step.Kind.READ_STATE, Unit.CMSD, OnFailure.RESTORE),
          step(Step.Kind.READ_STATE, Unit.XROOTD, OnFailure.RESTORE));

  /** Every phase's steps (kill once per unit). */
  static List<StepSpec> all(boolean escalateReboot) {
    List<StepSpec> all = new ArrayList<>();
    all.addAll(DRAIN);
    all.addAll(IDLE);
    all.addAll(cycle(StartOrder.CMSD_FIRST, true));
    all.addAll(RESTORE);
    all.addAll(kill(Unit.CMSD));
    all.addAll(kill(Unit.XROOTD));
    all.addAll(HEALTH);
    if (escalateReboot) {
      all.addAll(REBOOT);
    }
    return all;
  }

  /**
   * Every remote command the sequence can run on a server, in {@link RemoteCommand}'s order: what
   * the sudo rule must allow, and all it may allow. Reboot only with {@code escalateReboot}.
   */
  public static List<RemoteCommand> commands(boolean escalateReboot) {
    Set<RemoteCommand> used = java.util.EnumSet.noneOf(RemoteCommand.class);
    for (StepSpec s : all(escalateReboot)) {
      if (s.kind().command() != null) {
        used.add(s.kind().command());
      }
    }
    return List.copyOf(used);
  }
}
