package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.playbook.RestartSequence.OnFailure;
import io.xrootdrestart.playbook.Step;
import io.xrootdrestart.restart.FailurePolicy.AfterKill;
import io.xrootdrestart.restart.FailurePolicy.Reaction;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The failure policy, as the table it is. */
class FailurePolicyTest {
  @ParameterizedTest(name = "{0} {1} failing {2}, stopping={3} -> {4}")
  @CsvSource({
    // kind,        on failure,       outcome,     stopping, reaction
    "STOP,          KILL_ON_TIMEOUT,  TIMED_OUT,   false,    KILL",
    "STOP,          KILL_ON_TIMEOUT,  FAILED,      false,    RESTORE",
    "WAIT_STOPPED,  KILL,             FAILED,      false,    KILL",
    "WAIT_STOPPED,  KILL,             TIMED_OUT,   false,    KILL",
    "START,         RESTORE,          FAILED,      false,    RESTORE",
    "WAIT_ACTIVE,   RESTORE,          FAILED,      false,    RESTORE",
    "START,         RESTORE,          TIMED_OUT,   false,    RESTORE",
    "STOP,          KILL_ON_TIMEOUT,  UNREACHABLE, false,    UNREACHABLE",
    "WAIT_ACTIVE,   RESTORE,          UNREACHABLE, false,    UNREACHABLE",
    "STOP,          KILL_ON_TIMEOUT,  TIMED_OUT,   true,     INTERRUPTED",
    "WAIT_ACTIVE,   RESTORE,          UNREACHABLE, true,     INTERRUPTED",
    "WAIT_SERVING,  NOT_SERVING,      FAILED,      false,    NOT_SERVING",
    "WAIT_SERVING,  NOT_SERVING,      TIMED_OUT,   false,    NOT_SERVING",
    "WAIT_SERVING,  NOT_SERVING,      UNREACHABLE, false,    UNREACHABLE",
  })
  void afterAStep(
      Step.Kind kind, OnFailure onFailure, Outcome outcome, boolean stopping, Reaction expected) {
    Optional<Step> step = Optional.of(new Step(kind, "cmsd@cluster", onFailure));
    assertEquals(expected, FailurePolicy.afterStep(step, outcome, stopping));
  }

  @ParameterizedTest(name = "no step named, {0} -> {1}")
  @CsvSource({"FAILED, RESTORE", "TIMED_OUT, RESTORE", "UNREACHABLE, UNREACHABLE"})
  void aFailureThatNamesNoStepIsRestored(Outcome outcome, Reaction expected) {
    assertEquals(expected, FailurePolicy.afterStep(Optional.empty(), outcome, false));
  }

  @ParameterizedTest(name = "SIGKILL {0}, escalate_reboot={1} -> {2}")
  @CsvSource({
    "OK,          false, GO_ON",
    "OK,          true,  GO_ON",
    "UNREACHABLE, true,  UNREACHABLE",
    "FAILED,      false, STUCK",
    "TIMED_OUT,   false, STUCK",
    "FAILED,      true,  REBOOT",
    "TIMED_OUT,   true,  REBOOT",
  })
  void afterTheKill(Outcome outcome, boolean escalateReboot, AfterKill expected) {
    assertEquals(expected, FailurePolicy.afterKill(outcome, escalateReboot));
  }
}
