package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.alerts.Alert;
import io.xrootdrestart.alerts.AlertName;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FiringAlerts;
import io.xrootdrestart.health.SystemdHealthCheck;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.schedule.Sleeper;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.ServerRecord;
import io.xrootdrestart.state.StateStore;
import io.xrootdrestart.testing.MutableClock;
import io.xrootdrestart.testing.ScriptedRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the status page shows, from the daemon's events: a settable clock and a scripted runner. */
class ActivityTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Duration WAIT = Duration.ofMinutes(5);

  @TempDir Path dir;

  final MutableClock clock = new MutableClock(T0);
  final ScriptedRunner runner = new ScriptedRunner().timed(clock, Duration.ofSeconds(2));
  final Activity activity = new Activity(clock);
  final Daemon.Settings settings =
      new Daemon.Settings(Duration.ofHours(3), WAIT, 1, Optional.empty(), Optional.empty(), false);

  Daemon daemon(RestartListener after) {
    Sleeper sleeper =
        t -> {
          clock.advanceTo(t);
          return true;
        };
    return new Daemon(
        settings,
        () ->
            new Inventory(
                "inv",
                "xrootd_servers",
                List.of("a", "b", "c").stream().map(DaemonTest::server).toList()),
        runner,
        new SystemdHealthCheck(DaemonTest.PHASES),
        DaemonTest.PHASES,
        new StateStore(dir),
        clock,
        sleeper,
        new Shutdown(clock),
        FiringAlerts.NONE,
        RestartListener.all(activity, after),
        io.xrootdrestart.remedy.RestartWhen.NONE,
        io.xrootdrestart.silence.NodeSilences.NONE,
        io.xrootdrestart.guard.ParallelLimit.NONE);
  }

  @Test
  void theRestartUnderWayStepByStepWithTheTimeOfEach() {
    List<Activity.Snapshot> seen = new ArrayList<>();
    daemon(
            new RestartListener() {
              @Override
              public void waiting(String server, Duration wait, boolean untilIdle) {
                seen.add(activity.snapshot());
              }

              @Override
              public void phaseStarted(String server, String phase) {
                if (phase.equals("cycle")) {
                  seen.add(activity.snapshot());
                }
              }
            })
        .run(OptionalInt.of(1));

    Activity.Restart waiting = seen.get(0).current().orElseThrow();
    assertEquals("a", waiting.server());
    assertEquals(T0.plusSeconds(2), waiting.start(), "after the 2 s health check");
    Activity.Step drain = waiting.steps().get(0);
    assertEquals("drain", drain.name());
    assertEquals(Optional.of(T0.plusSeconds(4)), drain.end(), "the drain took 2 s");
    assertEquals(Optional.of("ok"), drain.outcome());
    assertEquals(Optional.of(Path.of("/runs/2-drain")), drain.runDir());
    Activity.Step wait = waiting.currentStep().orElseThrow();
    assertEquals("wait", wait.name());
    assertEquals(
        Optional.of(T0.plusSeconds(4).plus(WAIT)), wait.until(), "the page counts down to this");

    Activity.Restart cycling = seen.get(1).current().orElseThrow();
    assertEquals(
        List.of("drain", "wait", "cycle"),
        cycling.steps().stream().map(Activity.Step::name).toList());
    assertEquals(Optional.of(T0.plusSeconds(4).plus(WAIT)), cycling.steps().get(1).end());
    assertEquals("cycle", cycling.currentStep().orElseThrow().name());

    Activity.Snapshot after = activity.snapshot();
    assertTrue(after.current().isEmpty());
    assertEquals(
        List.of("a", "b", "c"), after.recent().stream().map(Activity.Restart::server).toList());
    Activity.Restart a = after.last("a").orElseThrow();
    assertEquals("success", a.outcome());
    assertEquals(Optional.of(T0.plusSeconds(6).plus(WAIT)), a.end(), "drain 2 s, wait, cycle 2 s");
    assertEquals(Optional.of(Path.of("/runs/3-cycle")), a.runDir(), "the last phase's run record");
  }

  @Test
  void aFailedRestartKeepsItsMessageFailingStepAndRunRecord() {
    runner.then(
        Phase.CYCLE,
        Outcome.FAILED,
        "Start xrootd@cluster",
        "Job for xrootd@cluster.service failed");
    daemon(new RestartListener() {}).run(OptionalInt.of(1));
    Activity.Restart a = activity.snapshot().last("a").orElseThrow();
    assertEquals("failed", a.outcome());
    assertEquals(Optional.of("cycle: Start xrootd@cluster"), a.failedStep());
    assertTrue(
        a.message().startsWith("Job for xrootd@cluster.service failed; restore: both units active"),
        a.message());
    assertEquals(
        Optional.of(Path.of("/runs/3-cycle")), a.runDir(), "the failing phase's, not restore's");
    assertEquals(
        List.of("drain", "wait", "cycle", "restore"),
        a.steps().stream().map(Activity.Step::name).toList());
    assertEquals(Optional.of("failed"), a.steps().get(2).outcome());
  }

  @Test
  void theGuardAndTheHealthAsLastChecked() {
    runner.health("b", "inactive", "active").health("c", "active", "failed");
    List<String> held = new ArrayList<>();
    daemon(
            new RestartListener() {
              @Override
              public void guardHeld(String target, Decision.Hold hold) {
                held.add(target);
                if (held.size() == 2) {
                  runner.health("b", "active", "active").health("c", "active", "active");
                }
              }
            })
        .run(OptionalInt.of(1));
    assertEquals(List.of("a", "a"), held);
    Activity.Snapshot s = activity.snapshot();
    Activity.GuardView g = s.guard().orElseThrow();
    assertTrue(g.proceeds(), "the last decision: c went ahead");
    assertEquals("c", g.target());
    assertEquals("2 other servers healthy, min_ok is 1", g.reason());
    assertTrue(s.health().orElseThrow().health().server("b").orElseThrow().healthy());
  }

  @Test
  void theTimelineKeepsTheLastDayAndAtMostMaxRestarts() {
    for (int i = 0; i < Activity.MAX_RESTARTS + 20; i++) {
      activity.restartStarted("a");
      clock.advance(Duration.ofSeconds(10));
      activity.restartSucceeded("a", RestartResult.success(""));
    }
    assertEquals(Activity.MAX_RESTARTS, activity.snapshot().recent().size());
    assertEquals(
        T0.plusSeconds(20 * 10),
        activity.snapshot().recent().get(0).start(),
        "the oldest went first");
    clock.advance(Activity.WINDOW.minusSeconds(5));
    assertEquals(
        1, activity.snapshot().recent().size(), "only the one that ended in the last 24 h");
    clock.advance(Duration.ofSeconds(10));
    assertTrue(activity.snapshot().recent().isEmpty());
  }

  @Test
  void startedFromTheStateFileItKnowsEachServersLastRestartOfTheDayWithoutItsDuration() {
    DaemonState state =
        DaemonState.EMPTY
            .with(
                "a",
                ServerRecord.NEVER
                    .attempted(T0.minus(Duration.ofHours(2)))
                    .finished("failed", "cycle: boom", false, false))
            .with(
                "b",
                ServerRecord.NEVER
                    .attempted(T0.minus(Duration.ofHours(30)))
                    .finished("success", "", true, false))
            .with("c", ServerRecord.NEVER.attempted(T0.minusSeconds(30)));
    List<Activity.Restart> recent = activity.seed(state).snapshot().recent();
    assertEquals(
        1,
        recent.size(),
        "b's is older than a day; c's was cut off (in progress: restore decides)");
    assertEquals("a", recent.get(0).server());
    assertEquals("failed", recent.get(0).outcome());
    assertEquals("cycle: boom", recent.get(0).message());
    assertEquals(Optional.empty(), recent.get(0).end());
  }

  @Test
  void statusKeepsItsFieldsAndAddsTheRotationsAndTheAlerts() throws Exception {
    runner.then(
        Phase.CYCLE,
        Outcome.FAILED,
        "Start xrootd@cluster",
        "Job for xrootd@cluster.service failed");
    Daemon d = daemon(new RestartListener() {});
    d.run(OptionalInt.of(1));
    Alert alert =
        new Alert(
            AlertName.RESTART_ERROR,
            Optional.of("a"),
            T0.plusSeconds(300),
            "restart of a failed",
            "cycle: Start xrootd@cluster",
            Optional.of("/runs/3-cycle"));
    Map<String, Object> doc =
        StatusReport.of(
                d.state(),
                Controls.NONE,
                d.servers(),
                settings,
                clock.instant(),
                Optional.of(
                    new StatusReport.Live(
                        "lab", "xrootd_servers", activity.snapshot(), List.of(alert))))
            .document();
    JsonNode j = new ObjectMapper().valueToTree(doc);

    assertEquals(
        List.of(
            "now",
            "interval_seconds",
            "paused",
            "excluded",
            "in_flight",
            "next_slots",
            "servers",
            "cluster",
            "rotations",
            "alerts"),
        iterate(j.fieldNames()),
        "the fields of status --json first, unchanged");
    assertEquals("failed", j.at("/servers/a/outcome").asText());
    assertEquals(1, j.get("rotations").size(), "one rotation per daemon, today");
    JsonNode r = j.at("/rotations/0");
    assertEquals("xrootd_servers", r.get("name").asText());
    assertEquals(
        List.of("a", "b", "c"),
        iterate(r.get("servers").elements()).stream().map(s -> s.get("name").asText()).toList());
    assertEquals("cmsd active, xrootd active", r.at("/servers/1/health/text").asText());
    assertEquals("proceed", r.at("/guard/decision").asText());
    assertTrue(r.get("paused").isNull());
    assertEquals(0, r.get("excluded").size());
    assertTrue(r.get("restart").isNull(), "nothing under way");
    JsonNode last = r.at("/servers/0/last_restart");
    assertEquals("failed", last.get("outcome").asText());
    assertEquals("/runs/3-cycle", last.get("run_dir").asText());
    assertEquals(
        2 + 300 + 2 + 2.0,
        last.get("duration_seconds").asDouble(),
        "drain 2 s, wait 300 s, cycle 2 s, restore 2 s");
    assertEquals(
        List.of("drain", "wait", "cycle", "restore"),
        iterate(last.get("steps").elements()).stream().map(s -> s.get("step").asText()).toList());
    assertEquals(3, r.get("timeline").size());
    assertEquals("XROOTDRESTART_RESTART_ERROR", j.at("/alerts/0/name").asText());
    assertEquals(T0.plusSeconds(300).toString(), j.at("/alerts/0/since").asText());

    Map<String, Object> plain =
        StatusReport.of(d.state(), Controls.NONE, d.servers(), settings, clock.instant())
            .document();
    assertFalse(plain.containsKey("rotations"), "status --json reads the state only");
    assertNull(plain.get("cluster"));
  }

  private static <T> List<T> iterate(java.util.Iterator<T> it) {
    List<T> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
