package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.restart.RestartResult.Status;
import io.xrootdrestart.testing.ScriptedRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The node state machine with a scripted runner: every failure at every step. */
class NodeRestartTest {
  static final Server LAB1 =
      new Server("lab1", "10.0.0.1", 22, Optional.empty(), "cmsd@cluster", "xrootd@cluster");
  static final Duration WAIT = Duration.ofSeconds(300);

  final ScriptedRunner runner = new ScriptedRunner();
  final List<String> events = new ArrayList<>();
  final List<Duration> waits = new ArrayList<>();
  final AtomicBoolean stopping = new AtomicBoolean();
  boolean waitCompletes = true;

  final RestartListener recorder =
      new RestartListener() {
        @Override
        public void restartStarted(String server) {
          events.add("started " + server);
        }

        @Override
        public void restartSucceeded(String server, RestartResult result) {
          events.add("succeeded " + server);
        }

        @Override
        public void restartFailed(String server, RestartResult result) {
          events.add("failed " + server + " " + result.outcome());
        }

        @Override
        public void drained(String server, Drain d) {
          drains.add(d);
        }
      };

  final Journal journal =
      new Journal() {
        @Override
        public void beforePhase(String server, Phase phase) {
          events.add("journal " + server + " " + phase.id());
        }

        @Override
        public void done(String server) {
          events.add("journal done " + server);
        }
      };

  Phases phases = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10));

  RestartResult restart() {
    Waiter waiter =
        d -> {
          waits.add(d);
          return waitCompletes;
        };
    return new NodeRestart(runner, phases, WAIT, waiter, journal, recorder, stopping::get)
        .restart(LAB1);
  }

  final List<Drain> drains = new ArrayList<>();

  @Test
  void aServerThatDoesNotServeAgainIsReportedAndNotRestored() {
    phases =
        new Phases(
            Duration.ofSeconds(120),
            Duration.ofSeconds(10),
            io.xrootdrestart.config.StartOrder.CMSD_FIRST,
            Optional.of(Duration.ofSeconds(30)),
            false);
    runner.then(
        Phase.CYCLE,
        Outcome.FAILED,
        "Wait until lab1 serves again (xrootd in the cluster)",
        "not serving after 30 s: all.role server /d");
    RestartResult r = restart();
    assertEquals(Status.FAILED, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1"), runner.calls(), "nothing to restore");
    assertTrue(
        r.message().startsWith("not serving after restart: not serving after 30 s"), r.message());
    assertFalse(r.needsRestore());
  }

  RestartResult restartUntilIdle() {
    phases =
        new Phases(
            Duration.ofSeconds(120),
            Duration.ofSeconds(10),
            io.xrootdrestart.config.StartOrder.XROOTD_FIRST,
            Optional.empty(),
            true);
    return restart();
  }

  @Test
  void withDrainUntilIdleTheServerSaysWhenTheWaitEnds() {
    runner.says(Phases.IDLE_TASK, "idle after 3 s");
    RestartResult r = restartUntilIdle();
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(List.of("drain lab1", "idle lab1", "cycle lab1"), runner.calls());
    assertEquals(List.of(), waits, "the daemon does not wait cmsd_wait itself");
    assertEquals(1, drains.size());
    assertEquals(Drain.EndedBy.IDLE, drains.get(0).endedBy());
    assertEquals("idle after 3 s", drains.get(0).detail());
    assertTrue(r.message().startsWith("drained "), r.message());
    String play = runner.playbooks().get(1).play().name();
    assertTrue(play.endsWith("at most 300 s"), "the wait's bound is cmsd_wait: " + play);
  }

  @Test
  void aServerStillBusyAtCmsdWaitIsCycledAnyway() {
    runner.says(Phases.IDLE_TASK, "busy after 300 s: 1 open for reading, 0 for writing");
    RestartResult r = restartUntilIdle();
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(Drain.EndedBy.CMSD_WAIT, drains.get(0).endedBy());
  }

  @Test
  void shutdownDuringTheWaitUntilIdleRestores() {
    runner.then(Phase.IDLE, Outcome.TIMED_OUT, Phases.IDLE_TASK, "killed by shutdown");
    stopping.set(true);
    RestartResult r = restartUntilIdle();
    assertEquals(Status.INTERRUPTED, r.status());
    assertEquals(List.of("drain lab1", "idle lab1", "restore lab1"), runner.calls());
    assertEquals(List.of(), drains, "a wait cut short says nothing about the drain");
  }

  @Test
  void unreachableDuringTheWaitAsksForARestoreLater() {
    runner.then(Phase.IDLE, Outcome.UNREACHABLE, Phases.IDLE_TASK, "Data could not be sent");
    RestartResult r = restartUntilIdle();
    assertEquals(Status.UNREACHABLE, r.status());
    assertEquals(List.of("drain lab1", "idle lab1"), runner.calls());
    assertTrue(r.needsRestore(), "cmsd was stopped");
  }

  @Test
  void drainWaitCycle() {
    RestartResult r = restart();
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1"), runner.calls());
    assertEquals(List.of(WAIT), waits);
    assertEquals(
        List.of(
            "started lab1",
            "journal lab1 drain",
            "journal lab1 cycle",
            "journal done lab1",
            "succeeded lab1"),
        events,
        "the journal is written before each phase");
  }

  @Test
  void unreachableAtDrainTriesNothingElse() {
    runner.unreachableAtOnce(Phase.DRAIN);
    RestartResult r = restart();
    assertEquals(Status.UNREACHABLE, r.status());
    assertEquals(List.of("drain lab1"), runner.calls());
    assertFalse(r.needsRestore(), "nothing ran, nothing was stopped");
    assertTrue(events.contains("failed lab1 unreachable"));
  }

  @Test
  void unreachableDuringCycleAsksForARestoreLater() {
    runner.then(Phase.CYCLE, Outcome.UNREACHABLE, "Start xrootd@cluster", "Data could not be sent");
    RestartResult r = restart();
    assertEquals(Status.UNREACHABLE, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1"), runner.calls());
    assertTrue(r.needsRestore());
    assertEquals(Optional.of("cycle: Start xrootd@cluster"), r.step());
  }

  @Test
  void aFailedStopOfCmsdIsRestored() {
    runner.then(Phase.DRAIN, Outcome.FAILED, "Stop cmsd@cluster", "non-zero return code (rc 1)");
    RestartResult r = restart();
    assertEquals(Status.FAILED, r.status());
    assertEquals(List.of("drain lab1", "restore lab1"), runner.calls());
    assertEquals(Optional.of("drain: Stop cmsd@cluster"), r.step());
    assertEquals("non-zero return code (rc 1); restore: both units active", r.message());
    assertEquals(
        Optional.of(Path.of("/runs/1-drain")), r.runDir(), "the alert points at the failing run");
    assertTrue(waits.isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Start xrootd@cluster",
        "Wait until xrootd@cluster is active",
        "Start cmsd@cluster",
        "Wait until cmsd@cluster is active"
      })
  void aFailureWhileStartingIsRestoredAndReported(String step) {
    runner.then(Phase.CYCLE, Outcome.FAILED, step, "boom");
    RestartResult r = restart();
    assertEquals(Status.FAILED, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1", "restore lab1"), runner.calls());
    assertEquals(Optional.of("cycle: " + step), r.step());
    assertTrue(r.message().startsWith("boom; restore: both units active"), r.message());
    assertFalse(r.needsRestore());
  }

  @Test
  void aCmsdThatWillNotStopIsKilledAndTheRestartGoesOn() {
    runner.then(
        Phase.DRAIN,
        Outcome.TIMED_OUT,
        "Stop cmsd@cluster",
        "failed to execute in the expected time frame");
    RestartResult r = restart();
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(List.of("drain lab1", "kill lab1", "cycle lab1"), runner.calls());
    assertTrue(
        runner
            .playbooks()
            .get(1)
            .play()
            .tasks()
            .get(0)
            .cmd()
            .contains("run 1 sudo -n /usr/bin/systemctl kill --signal=SIGKILL cmsd@cluster\n"));
  }

  @Test
  void anXrootdThatWillNotStopIsKilledThenStartedByRestore() {
    runner.then(
        Phase.CYCLE, Outcome.FAILED, "Wait until xrootd@cluster is inactive", "deactivating");
    RestartResult r = restart();
    assertEquals(Status.SUCCESS, r.status(), r.message());
    assertEquals(List.of("drain lab1", "cycle lab1", "kill lab1", "restore lab1"), runner.calls());
    assertTrue(r.message().contains("killed with SIGKILL"), r.message());
  }

  @Test
  void aUnitThatSurvivesSigkillIsStuck() {
    runner
        .then(Phase.CYCLE, Outcome.TIMED_OUT, "Stop xrootd@cluster", "timed out")
        .then(Phase.KILL, Outcome.FAILED, "Wait until xrootd@cluster is inactive", "deactivating");
    RestartResult r = restart();
    assertEquals(Status.STUCK, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1", "kill lab1", "restore lab1"), runner.calls());
    assertTrue(r.message().startsWith("xrootd@cluster is stuck"), r.message());
    assertTrue(events.contains("failed lab1 stuck"));
  }

  @Test
  void withEscalateRebootAStuckUnitRebootsTheServer() {
    runner
        .then(Phase.CYCLE, Outcome.TIMED_OUT, "Stop xrootd@cluster", "timed out")
        .then(Phase.KILL, Outcome.FAILED, "Wait until xrootd@cluster is inactive", "deactivating");
    RestartResult r =
        new NodeRestart(
                runner,
                new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10)),
                WAIT,
                d -> true,
                journal,
                recorder,
                stopping::get,
                true)
            .restart(LAB1);
    assertEquals(Status.STUCK, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1", "kill lab1", "reboot lab1"), runner.calls());
    assertTrue(r.message().contains("rebooted the server as a last resort"), r.message());
  }

  @Test
  void withoutEscalateRebootNothingEverReboots() {
    runner
        .then(Phase.CYCLE, Outcome.TIMED_OUT, "Stop xrootd@cluster", "timed out")
        .then(Phase.KILL, Outcome.FAILED, "Wait until xrootd@cluster is inactive", "deactivating");
    restart();
    assertFalse(
        runner.calls().stream().anyMatch(c -> c.startsWith("reboot")), runner.calls().toString());
  }

  @Test
  void aFailedStartAfterSigkillIsAFailure() {
    runner
        .then(Phase.CYCLE, Outcome.TIMED_OUT, "Stop xrootd@cluster", "timed out")
        .then(Phase.RESTORE, Outcome.FAILED, "Wait until xrootd@cluster is active", "failed");
    RestartResult r = restart();
    assertEquals(Status.FAILED, r.status());
    assertTrue(r.needsRestore());
    assertTrue(
        r.message().contains("RESTORE FAILED at 'Wait until xrootd@cluster is active'"),
        r.message());
  }

  @Test
  void aFailedRestoreIsSaidLoudly() {
    runner
        .then(Phase.CYCLE, Outcome.FAILED, "Start xrootd@cluster", "boom")
        .then(Phase.RESTORE, Outcome.FAILED, "Start xrootd@cluster unless it is active", "again");
    RestartResult r = restart();
    assertEquals(Status.FAILED, r.status());
    assertTrue(r.needsRestore());
    assertEquals(
        "boom; RESTORE FAILED at 'Start xrootd@cluster unless it is active': again", r.message());
  }

  @Test
  void aRestoreThatCannotStartAsksForARestoreLaterInsteadOfEndingTheDaemon() {
    runner
        .then(Phase.CYCLE, Outcome.FAILED, "Start xrootd@cluster", "boom")
        .onRun(
            p -> {
              if (p.phase() == Phase.RESTORE) { // state_dir turned read-only
                throw new java.io.UncheckedIOException(
                    "cannot create a run directory under /state/runs",
                    new java.io.IOException("Read-only file system"));
              }
            });
    RestartResult r = restart();
    assertEquals(Status.FAILED, r.status());
    assertTrue(r.needsRestore(), "tried again at the next slot");
    assertEquals(
        "boom; RESTORE FAILED: it cannot be started (cannot create a run directory under"
            + " /state/runs: Read-only file system)",
        r.message());
  }

  @Test
  void shutdownDuringTheWaitRestoresAndSkipsTheCycle() {
    waitCompletes = false;
    RestartResult r = restart();
    assertEquals(Status.INTERRUPTED, r.status());
    assertEquals(List.of("drain lab1", "restore lab1"), runner.calls());
    assertTrue(r.message().contains("restore: both units active"), r.message());
  }

  @Test
  void shutdownDuringAPhaseRestores() {
    ScriptedRunner stopDuringCycle =
        new ScriptedRunner() {
          @Override
          public io.xrootdrestart.events.RunResult run(io.xrootdrestart.playbook.PhasePlaybook p) {
            if (p.phase() == Phase.CYCLE) {
              stopping.set(true);
              Thread.currentThread().interrupt();
              then(Phase.CYCLE, Outcome.TIMED_OUT, "Start xrootd@cluster", "the run was stopped");
            }
            return super.run(p);
          }
        };
    RestartResult r =
        new NodeRestart(
                stopDuringCycle,
                new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10)),
                WAIT,
                d -> true,
                journal,
                recorder,
                stopping::get)
            .restart(LAB1);
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertEquals(Status.INTERRUPTED, r.status());
    assertEquals(List.of("drain lab1", "cycle lab1", "restore lab1"), stopDuringCycle.calls());
  }
}
