package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FiringAlerts;
import io.xrootdrestart.health.SystemdHealthCheck;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.remedy.OutOfTurn;
import io.xrootdrestart.remedy.RestartWhen;
import io.xrootdrestart.schedule.Sleeper;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.InFlight;
import io.xrootdrestart.state.StateStore;
import io.xrootdrestart.testing.MutableClock;
import io.xrootdrestart.testing.ScriptedRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon loop with a settable clock and a scripted runner: nothing sleeps. */
class DaemonTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path dir;

  final MutableClock clock = new MutableClock(T0);
  final ScriptedRunner runner = new ScriptedRunner().timed(clock, Duration.ofSeconds(2));
  final AtomicReference<List<String>> servers = new AtomicReference<>(List.of("a", "b", "c"));
  Optional<Pattern> block = Optional.empty();
  FiringAlerts alerts = FiringAlerts.NONE;

  static final Phases PHASES = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10));

  /** The phases daemonWith uses. */
  Phases phases = PHASES;

  static Server server(String name) {
    return new Server(
        name, name + ".example.org", 22, Optional.empty(), "cmsd@cluster", "xrootd@cluster");
  }

  Daemon daemon() {
    return daemonWith(new RestartListener() {});
  }

  /** "drain a", "cycle a", ... without the health checks. */
  List<String> restarts() {
    return runner.calls().stream().filter(c -> !c.startsWith("health")).toList();
  }

  /** When each drain started. */
  List<Instant> drainTimes() {
    List<Instant> t = new ArrayList<>();
    for (int i = 0; i < runner.calls().size(); i++) {
      if (runner.calls().get(i).startsWith("drain")) {
        t.add(runner.times().get(i));
      }
    }
    return t;
  }

  @Test
  void aPausedRotationSkipsItsSlotsAndGoesOnWhenResumed() {
    io.xrootdrestart.state.ControlsStore controls = new StateStore(dir).controls();
    controls.update(c -> c.paused("kernel upgrade", T0));
    List<String> skipped = new ArrayList<>();
    daemonWith(
            new RestartListener() {
              @Override
              public void paused(String target, io.xrootdrestart.state.Controls.Pause pause) {
                skipped.add(target + " at " + clock.instant() + ": " + pause.reason());
                if (skipped.size() == 2) {
                  controls.update(
                      io.xrootdrestart.state.Controls
                          ::resumed); // the admin's resume, while the daemon runs
                }
              }
            })
        .run(OptionalInt.of(1));
    assertEquals(
        List.of(
            "a at " + T0 + ": kernel upgrade",
            "a at " + T0.plus(Duration.ofHours(1)) + ": kernel upgrade"),
        skipped,
        "no health check, no restart while paused; the slots keep their spacing");
    assertEquals(
        List.of("drain a", "cycle a", "drain b", "cycle b", "drain c", "cycle c"), restarts());
    assertEquals(
        T0.plus(Duration.ofHours(2)),
        drainTimes().get(0),
        "the first slot after the resume, on time: its run started ahead");
  }

  @Test
  void anExcludedServerIsLeftOutUntilItsExclusionEnds() {
    new StateStore(dir)
        .controls()
        .update(
            c ->
                c.exclude(
                    "b",
                    new io.xrootdrestart.state.Controls.Exclusion(
                        T0, Optional.of(T0.plus(Duration.ofMinutes(90))), "disk swap")));
    daemon().run(OptionalInt.of(1));
    assertEquals(
        List.of("drain a", "cycle a", "drain c", "cycle c", "drain b", "cycle b"),
        restarts(),
        "b gets no slot while excluded, and its turn when the exclusion ends");
    assertEquals(
        List.of(T0.plusSeconds(2), T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2))),
        drainTimes(),
        "the spacing is that of three servers");
  }

  @Test
  void anUnwritableStateFileHoldsRestartsUntilItCanBeWrittenAgain() throws Exception {
    // a directory where the state file's temporary copy goes: every write fails, as on a full or
    // read-only state_dir (chmod does not stop root)
    Path blocker = Files.createDirectories(dir.resolve("state.json.tmp").resolve("x"));
    List<String> held = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    daemonWith(
            new RestartListener() {
              @Override
              public void guardHeld(String target, Decision.Hold hold) {
                held.add(target + ": " + hold.reason());
                if (held.size() == 2) {
                  try {
                    Files.delete(blocker);
                    Files.delete(blocker.getParent());
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                }
              }

              @Override
              public void stateWriteFailed(String why) {
                failures.add(why);
              }
            })
        .run(OptionalInt.of(1));
    assertEquals(2, held.size(), held.toString());
    assertTrue(
        held.get(0).startsWith("a: the state file " + dir.resolve("state.json") + " cannot be"),
        held.get(0));
    assertTrue(!failures.isEmpty());
    assertEquals(
        List.of("drain a", "cycle a", "drain b", "cycle b", "drain c", "cycle c"),
        restarts().stream().filter(c -> !c.startsWith("health")).toList(),
        "nothing reached a server while its intent could not be written; all went on after");
    assertEquals(3, new StateStore(dir).load().lastAttempts().size(), "and the state has them");
  }

  @Test
  void aRunThatCannotStartHoldsTheSlotAndTheDaemonGoesOn() {
    runner.failStarts(1);
    List<String> held = new ArrayList<>();
    daemonWith(
            new RestartListener() {
              @Override
              public void guardHeld(String target, Decision.Hold hold) {
                held.add(target + ": " + hold.reason());
              }
            })
        .run(OptionalInt.of(1));
    assertEquals(1, held.size(), held.toString());
    assertTrue(held.get(0).startsWith("a: "), held.get(0));
    assertTrue(held.get(0).contains("Read-only file system"), held.get(0));
    assertEquals(
        List.of("drain a", "cycle a", "drain b", "cycle b", "drain c", "cycle c"),
        restarts(),
        "the held slot's server had its turn at the next slot");
  }

  @Test
  void anUnreadableControlsFilePausesRatherThanGuessing() throws Exception {
    Files.writeString(dir.resolve("controls.json"), "{ not json");
    List<String> skipped = new ArrayList<>();
    daemonWith(
            new RestartListener() {
              @Override
              public void paused(String target, io.xrootdrestart.state.Controls.Pause pause) {
                skipped.add(pause.reason());
                try {
                  Files.delete(dir.resolve("controls.json"));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              }
            })
        .run(OptionalInt.of(1));
    assertEquals(1, skipped.size());
    assertTrue(skipped.get(0).contains("controls.json"), skipped.get(0));
    assertEquals(6, restarts().size(), "and goes on once the file is fixed");
  }

  @Test
  void twoRotationsInInventoryOrderAtFixedRate() {
    daemon().run(OptionalInt.of(2));
    assertEquals(
        List.of(
            "drain a", "cycle a", "drain b", "cycle b", "drain c", "cycle c", "drain a", "cycle a",
            "drain b", "cycle b", "drain c", "cycle c"),
        restarts());
    List<Instant> drains = drainTimes();
    for (int i = 0; i < drains.size(); i++) {
      // the slots are an hour apart, whatever a restart took; each run starts ahead of its slot
      // by what the last one took to read the health (2 s here), so the drain is on time; the
      // first slot is now, so its drain waits for its health check
      Instant expected = T0.plus(Duration.ofHours(i)).plusSeconds(i == 0 ? 2 : 0);
      assertEquals(expected, drains.get(i), "slot " + i);
    }
  }

  @Test
  void theAttemptIsRecordedBeforeTheRestartSoACrashDoesNotRepeatTheServer() {
    Daemon d = daemon();
    d.run(OptionalInt.of(1));
    DaemonState s = new StateStore(dir).load();
    assertEquals(Optional.of(T0.plusSeconds(2)), s.server("a").lastAttempt());
    assertEquals("success", s.server("c").outcome());
    assertEquals(Optional.empty(), s.inFlight());
  }

  @Test
  void aCrashMidRestartLeavesTheAttemptAndPhaseOnDiskAndTheNextDaemonRestoresThenMovesOn() {
    ScriptedRunner crashing =
        new ScriptedRunner() {
          @Override
          public io.xrootdrestart.events.RunResult run(io.xrootdrestart.playbook.PhasePlaybook p) {
            if (p.phase() == Phase.CYCLE) {
              throw new IllegalStateException("the JVM dies here");
            }
            return super.run(p);
          }
        };
    Daemon.Settings settings =
        new Daemon.Settings(
            Duration.ofHours(3),
            Duration.ofMinutes(5),
            1,
            Optional.empty(),
            Optional.empty(),
            false);
    Daemon first =
        new Daemon(
            settings,
            () ->
                new Inventory(
                    "inv",
                    "xrootd_servers",
                    servers.get().stream().map(DaemonTest::server).toList()),
            crashing,
            new SystemdHealthCheck(PHASES),
            PHASES,
            new StateStore(dir),
            clock,
            t -> true,
            new Shutdown(clock),
            FiringAlerts.NONE,
            new RestartListener() {},
            RestartWhen.NONE,
            io.xrootdrestart.silence.NodeSilences.NONE,
            io.xrootdrestart.guard.ParallelLimit.NONE);
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, () -> first.run(OptionalInt.of(1)));

    DaemonState crashed = new StateStore(dir).load();
    assertEquals(
        Optional.of(T0),
        crashed.server("a").lastAttempt(),
        "the attempt was on disk before the restart");
    assertEquals(
        Optional.of(new InFlight("a", "cycle", T0)),
        crashed.inFlight(),
        "and the phase, before it started");

    daemon().run(OptionalInt.of(1));
    assertEquals("restore a", runner.calls().get(0), "the next daemon restores a first");
    assertEquals(
        List.of("restore a", "drain b", "cycle b", "drain c", "cycle c", "drain a", "cycle a"),
        restarts(),
        "and a is not restarted again before the others");
  }

  @Test
  void afterARestartOfTheDaemonTheRotationContinuesAndAnInFlightRestartIsRestoredFirst() {
    StateStore store = new StateStore(dir);
    store.save(
        DaemonState.EMPTY
            .withLastSlot(T0.minusSeconds(60))
            .with(
                "a",
                io.xrootdrestart.state.ServerRecord.NEVER
                    .attempted(T0.minusSeconds(3600))
                    .finished("success", "", true, false))
            .with("b", io.xrootdrestart.state.ServerRecord.NEVER.attempted(T0.minusSeconds(60)))
            .withInFlight(Optional.of(new InFlight("b", "cycle", T0.minusSeconds(30)))));
    daemon().run(OptionalInt.of(1));
    assertEquals(
        "restore b",
        runner.calls().get(0),
        "the interrupted server is restored before anything else");
    assertEquals(
        List.of("restore b", "drain c", "cycle c", "drain a", "cycle a", "drain b", "cycle b"),
        restarts(),
        "then the most overdue: c (never), a, and b last");
    assertEquals(
        T0.minusSeconds(60).plus(Duration.ofHours(1)), drainTimes().get(0), "the spacing is kept");
  }

  @Test
  void theGuardHoldsOnLiveHealthKeepsRunningAndResumesWhenServersRecover() {
    runner.health("b", "inactive", "active").health("c", "active", "failed");
    List<String> holds = new ArrayList<>();
    Daemon d =
        daemonWith(
            new RestartListener() {
              @Override
              public void guardHeld(String target, Decision.Hold hold) {
                holds.add(target + ": " + hold.reason());
                if (holds.size() == 3) {
                  runner.health("b", "active", "active").health("c", "active", "active");
                }
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(3, holds.size(), holds.toString());
    assertTrue(
        holds.get(0).startsWith("a: only 0 servers other than a healthy, min_ok is 1"),
        holds.get(0));
    assertEquals(
        List.of("drain a", "cycle a", "drain b", "cycle b", "drain c", "cycle c"),
        restarts(),
        "nothing was restarted while held; then the rotation resumed with the same server");
    List<Instant> drains = drainTimes();
    assertEquals(
        T0.plus(Duration.ofHours(3)),
        drains.get(0),
        "checked again at each slot: three held slots");
  }

  @Test
  void aServerNotServingAfterItsRestartHoldsTheRotationUntilItServes() {
    phases =
        new Phases(
            Duration.ofSeconds(120),
            Duration.ofSeconds(10),
            io.xrootdrestart.config.StartOrder.XROOTD_FIRST,
            Optional.of(Duration.ofSeconds(30)),
            false);
    runner.then(
        Phase.CYCLE,
        Outcome.FAILED,
        "Wait until a serves again (xrootd in the cluster)",
        "not serving after 30 s: /d");
    List<String> holds = new ArrayList<>();
    Daemon d =
        daemonWith(
            new RestartListener() {
              @Override
              public void restartFailed(String server, RestartResult result) {
                runner.health("a", "active", "failed"); // not back
              }

              @Override
              public void guardHeld(String target, Decision.Hold hold) {
                holds.add(target + ": " + hold.reason());
                if (holds.size() == 2) {
                  runner.health("a", "active", "active"); // serves again
                }
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(2, holds.size(), holds.toString());
    assertTrue(
        holds.get(0).startsWith("b: a has not served again since its restart"), holds.get(0));
    assertEquals(
        List.of("drain a", "cycle a", "drain b", "cycle b", "drain c", "cycle c"),
        restarts(),
        "min_ok 1 would have let b go; the rotation waited for a instead");
  }

  @Test
  void aTargetThatIsAlreadyUnhealthyMayBeRestarted() {
    runner.health("a", "inactive", "failed");
    daemon().run(OptionalInt.of(1));
    assertEquals("drain a", restarts().get(0));
  }

  @Test
  void aFiringBlockingAlertHolds() {
    block = Optional.of(Pattern.compile("Disk"));
    List<String> firing = new ArrayList<>(List.of("DiskFull"));
    alerts = p -> List.copyOf(firing);
    List<String> holds = new ArrayList<>();
    Daemon d =
        daemonWith(
            new RestartListener() {
              @Override
              public void guardHeld(String target, Decision.Hold hold) {
                holds.add(hold.reason());
                firing.clear();
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(1, holds.size());
    assertTrue(holds.get(0).contains("DiskFull"), holds.get(0));
  }

  @Test
  void inventoryChangesJoinAndLeaveTheRotationAndTheIntervalFollows() {
    List<String> started = new ArrayList<>();
    Daemon d =
        daemonWith(
            new RestartListener() {
              @Override
              public void restartStarted(String server) {
                started.add(server);
                if (server.equals("a")) {
                  servers.set(List.of("a", "c", "d")); // b removed, d added
                }
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(
        List.of("a", "c", "d"), started, "b left; c and d were never restarted: inventory order");
    List<Instant> drains = drainTimes();
    assertEquals(
        Duration.ofHours(1), Duration.between(drains.get(1), drains.get(2)), "3 servers: 3h / 3");
  }

  @Test
  void aServerCutOffMidRestartIsRestoredAtOnceWhenItAnswers() {
    runner.then(Phase.CYCLE, Outcome.UNREACHABLE, "Start xrootd@cluster", "Data could not be sent");
    daemon().run(OptionalInt.of(1));
    assertEquals(
        List.of(
            "health 3 servers", "drain a", "cycle a", "restore a", "health 3 servers", "drain b"),
        runner.calls().subList(0, 6),
        "a brief loss of the connection: restored right after");
    DaemonState s = new StateStore(dir).load();
    assertEquals("unreachable", s.server("a").outcome());
    assertFalse(s.server("a").needsRestore());
  }

  @Test
  void aServerStillUnreachableIsRestoredOnceItAnswersAgain() {
    runner.then(Phase.CYCLE, Outcome.UNREACHABLE, "Start xrootd@cluster", "Data could not be sent");
    List<Boolean> pending = new ArrayList<>();
    Daemon d =
        daemonWith(
            new RestartListener() {
              @Override
              public void restartFailed(String server, RestartResult result) {
                pending.add(result.needsRestore());
                runner.unreachable("a", true); // still gone for the immediate retry
              }

              @Override
              public void phaseFinished(String server, PhaseReport report) {
                if (report.phase().equals("restore") && !report.ok()) {
                  runner.unreachable("a", false); // back by the next slot
                }
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(List.of(true), pending, "a unit may have been left stopped on a");
    assertEquals(
        List.of(
            "health 3 servers",
            "drain a",
            "cycle a",
            "restore a",
            "health 3 servers",
            "restore a",
            "health 3 servers",
            "drain b"),
        runner.calls().subList(0, 8),
        "the retry at once fails; at the next slot a answers and is restored first, and the"
            + " health is read again before the guard decides");
    assertFalse(new StateStore(dir).load().server("a").needsRestore());
  }

  /** Out-of-turn restarts: the xrootd check, remedial_per_day {@code perDay}, restart_when. */
  Daemon outOfTurn(int perDay, RestartWhen when, RestartListener listener) {
    return daemonWith(
        perDay, new io.xrootdrestart.health.XrootdHealthCheck(phases), when, listener);
  }

  @Test
  void aFrozenServerIsRestartedAtTheNextSlotAheadOfTheOrderWithoutWaitingForClients() {
    runner.answers("b", ""); // frozen: its units are active, its xrootd answers nothing
    List<String> outOfTurn = new ArrayList<>();
    Daemon d =
        outOfTurn(
            2,
            RestartWhen.NONE,
            new RestartListener() {
              @Override
              public void outOfTurn(String server, OutOfTurn.Due due) {
                outOfTurn.add(server + ": " + due.why());
              }

              @Override
              public void restartSucceeded(String server, RestartResult result) {
                runner.answers("b", "all.role server /a"); // the restart fixed it
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(
        List.of("drain b", "cycle b", "drain a", "cycle a", "drain c", "cycle c"),
        restarts(),
        "b at the first slot, then the schedule's order");
    assertEquals(List.of("b: xrootd does not answer on port 1094 within 5 s"), outOfTurn);
    assertEquals(1, new StateStore(dir).load().server("b").outOfTurn().size());
    assertTrue(
        runner.playbooks().stream()
            .anyMatch(p -> p.phase() == Phase.DRAIN && p.hosts().equals(List.of("b"))),
        "b's restart drained it");
  }

  @Test
  void beyondRemedialPerDayTheServerIsLeftAloneAndItsRestartAlertSaysWhy() {
    runner.answers("b", "all.role server /d"); // not in the cluster, whatever is done
    List<String> failed = new ArrayList<>();
    Daemon d =
        outOfTurn(
            1,
            RestartWhen.NONE,
            new RestartListener() {
              @Override
              public void restartFailed(String server, RestartResult result) {
                failed.add(server + ": " + result.message());
              }
            });
    d.run(OptionalInt.of(2));
    assertEquals(
        List.of(
            "drain b", "cycle b", "drain a", "cycle a", "drain c", "cycle c", "drain b", "cycle b",
            "drain a", "cycle a"),
        restarts().subList(0, 10),
        "one out-of-turn restart of b; then b waits for its own turn");
    assertEquals(1, failed.size(), "the restart alert once, not at every slot: " + failed);
    assertTrue(failed.get(0).contains("remedial_per_day: 1"), failed.get(0));
    assertTrue(failed.get(0).startsWith("b: xrootd answers but is not in the cluster"));
  }

  @Test
  void restartWhenNamesAServerAndAQueryThatFailsTriggersNothing() {
    List<String> failures = new ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    RestartWhen when =
        () -> {
          int n = asked.incrementAndGet();
          if (n == 1) {
            return java.util.Set.of("c");
          }
          if (n == 2) {
            throw new RestartWhen.QueryFailedException("Prometheus answered HTTP 503");
          }
          return java.util.Set.of();
        };
    Daemon d =
        outOfTurn(
            2,
            when,
            new RestartListener() {
              @Override
              public void restartWhenFailed(String why) {
                failures.add(why);
              }
            });
    d.run(OptionalInt.of(1));
    assertEquals(
        List.of("drain c", "cycle c", "drain a", "cycle a", "drain b", "cycle b"),
        restarts(),
        "c when restart_when named it, then the order");
    assertEquals(List.of("Prometheus answered HTTP 503"), failures);
    assertEquals(1, new StateStore(dir).load().server("c").outOfTurn().size());
  }

  /** health_max_age of the daemons daemonWith builds. */
  Duration healthMaxAge = Duration.ZERO;

  /** Per health check: when, and which servers it read. */
  Map<Instant, List<String>> healthReads() {
    Map<Instant, List<String>> reads = new java.util.LinkedHashMap<>();
    List<io.xrootdrestart.playbook.PhasePlaybook> runs = runner.playbooks();
    for (int i = 0; i < runs.size(); i++) {
      if (runs.get(i).phase() == Phase.HEALTH) {
        reads.put(runner.times().get(i), runs.get(i).hosts());
      }
    }
    return reads;
  }

  @Test
  void withHealthMaxAgeASlotReadsTheTargetAndASliceOfTheOldestAndNoReadingGetsOlderThanIt() {
    servers.set(List.of("a", "b", "c", "d", "e", "f")); // a slot every 30 min
    healthMaxAge = Duration.ofHours(2); // so 6 × 30 min / 2 h: 2 more per slot
    daemon().run(OptionalInt.of(2));
    Map<Instant, List<String>> reads = healthReads();
    List<List<String>> who = List.copyOf(reads.values());
    assertEquals(List.of("a", "b", "c", "d", "e", "f"), who.get(0), "the first reads them all");
    assertEquals(
        List.of("a", "b", "c", "d"),
        who.get(1),
        "then b (the target), a (restarted since: its reading is forgotten), and the 2 oldest");
    Map<String, Instant> last = new java.util.HashMap<>();
    reads.forEach(
        (at, hosts) -> {
          for (String s : servers.get()) {
            if (last.containsKey(s)) {
              assertTrue(
                  Duration.between(last.get(s), at).compareTo(healthMaxAge) <= 0,
                  s + " read at " + last.get(s) + ", then not until after " + at);
            }
          }
          hosts.forEach(h -> last.put(h, at));
        });
    assertTrue(
        who.stream().skip(1).allMatch(h -> h.size() < 6),
        "no later slot reads the whole fleet: " + who);
    assertEquals(12, restarts().size() / 2, "every server twice");
  }

  @Test
  void withHealthMaxAgeAnUnhealthyServerIsReadAtEverySlot() {
    servers.set(List.of("a", "b", "c", "d", "e", "f"));
    healthMaxAge = Duration.ofHours(6); // a slice of 1 per slot
    runner.health("e", "failed", "active");
    daemon().run(OptionalInt.of(1));
    assertTrue(
        healthReads().values().stream().allMatch(h -> h.contains("e")),
        "e is read at every slot while it is unhealthy: " + healthReads());
    assertTrue(
        healthReads().values().stream().skip(1).allMatch(h -> h.size() <= 4),
        "the rest: the target, the last one restarted and one old reading: " + healthReads());
  }

  Daemon daemonWith(RestartListener listener) {
    return daemonWith(0, new SystemdHealthCheck(phases), RestartWhen.NONE, listener);
  }

  Daemon daemonWith(
      int perDay,
      io.xrootdrestart.health.HealthCheck check,
      RestartWhen when,
      RestartListener listener) {
    Daemon.Settings settings =
        new Daemon.Settings(
            Duration.ofHours(3),
            Duration.ofMinutes(5),
            1,
            Optional.empty(),
            block,
            false,
            perDay,
            healthMaxAge);
    Sleeper sleeper =
        t -> {
          clock.advanceTo(t);
          return true;
        };
    return new Daemon(
        settings,
        () ->
            new Inventory(
                "inv", "xrootd_servers", servers.get().stream().map(DaemonTest::server).toList()),
        runner,
        check,
        phases,
        new StateStore(dir),
        clock,
        sleeper,
        new Shutdown(clock),
        alerts,
        listener,
        when,
        silences,
        io.xrootdrestart.guard.ParallelLimit.NONE);
  }

  /** The silences of the daemons daemonWith builds. */
  io.xrootdrestart.silence.NodeSilences silences = io.xrootdrestart.silence.NodeSilences.NONE;

  /** Alertmanager's silences, in memory: what was created, updated and expired, in order. */
  static final class FakeSilences implements io.xrootdrestart.silence.Silences {
    final List<String> log = new ArrayList<>();
    boolean down;
    int next;

    @Override
    public String put(
        String id,
        List<io.xrootdrestart.silence.Matcher> matchers,
        String node,
        Instant startsAt,
        Instant endsAt)
        throws java.io.IOException {
      if (down) {
        throw new java.io.IOException("connection refused");
      }
      String sid = id == null ? "s" + ++next : id;
      log.add((id == null ? "create " : "extend ") + sid + " " + matchers.get(0).valueFor(node));
      return sid;
    }

    @Override
    public void expire(String id) throws java.io.IOException {
      if (down) {
        throw new java.io.IOException("connection refused");
      }
      log.add("expire " + id);
    }

    @Override
    public List<String> leftovers() {
      return List.of();
    }
  }

  FakeSilences silencing(List<String> failures) {
    FakeSilences api = new FakeSilences();
    silences =
        new io.xrootdrestart.silence.NodeSilences(
            io.xrootdrestart.silence.Matcher.parseAll("instance=~\"{node}(:[0-9]+)?\""),
            api,
            clock,
            (node, what) -> failures.add(node + ": " + what));
    return api;
  }

  @Test
  void aServersSilenceIsInTheStateBeforeItsDrainExtendedWhileItRunsAndExpiredAfter() {
    List<String> failures = new ArrayList<>();
    FakeSilences api = silencing(failures);
    List<String> atDrain = new ArrayList<>();
    runner.onRun(
        p -> {
          if (p.phase() == Phase.DRAIN) {
            atDrain.add(p.hosts().get(0) + " " + new StateStore(dir).load().silences());
          }
        });
    daemon().run(OptionalInt.of(1));
    assertEquals(List.of("a {s1=a}", "b {s2=b}", "c {s3=c}"), atDrain);
    assertEquals(
        List.of("create s1 a(:[0-9]+)?", "extend s1 a(:[0-9]+)?", "extend s1 a(:[0-9]+)?"),
        api.log.subList(0, 3),
        "created before the drain, extended as each phase starts");
    assertTrue(api.log.contains("expire s1") && api.log.contains("expire s3"), api.log.toString());
    assertEquals(Map.of(), new StateStore(dir).load().silences(), "none left");
    assertEquals(List.of(), failures);
  }

  @Test
  void alertmanagerDownNeverHoldsARestartAndASilenceLeftBehindIsExpiredLater() {
    List<String> failures = new ArrayList<>();
    FakeSilences api = silencing(failures);
    new StateStore(dir).save(DaemonState.EMPTY.withSilence("s-crashed", "b"));
    api.down = true;
    daemon().run(OptionalInt.of(1));
    assertEquals(6, restarts().size(), "every server restarted: " + restarts());
    assertTrue(failures.contains("a: creating its silence"), failures.toString());
    assertEquals(Map.of("s-crashed", "b"), new StateStore(dir).load().silences());
    api.down = false;
    daemon().run(OptionalInt.of(1));
    assertEquals("expire s-crashed", api.log.get(0), "the leftover goes first: " + api.log);
    assertEquals(Map.of(), new StateStore(dir).load().silences());
  }
}
