package io.xrootdrestart.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each phase through the real runner, as the daemon's user and sudo rule, on a 3-server lab. */
@LabTest
class PhaseRunnerLabTest {
  @RegisterExtension static final Lab LAB = Lab.shared(3);

  @TempDir static Path dir;

  static Config config;
  static Inventory inventory;
  static AnsiblePlaybookRunner runner;

  /**
   * A short service_timeout and connect_timeout, so that hangs time out within a test's patience.
   */
  static final Phases PHASES = new Phases(Duration.ofSeconds(2), Duration.ofSeconds(2));

  @BeforeAll
  static void provision() throws Exception {
    config = LAB.provision(dir.resolve("etc"), Map.of("run_retention", 8, "connect_timeout", 2));
    inventory = new InventoryLoader(new io.xrootdrestart.ansible.AnsibleInventory()).load(config);
    runner = new AnsiblePlaybookRunner(RunnerSettings.from(config), Clock.systemUTC());
  }

  @BeforeEach
  void everyUnitActiveNoFaults() {
    LAB.reset();
  }

  private static Server server(String name) {
    return inventory.server(name).orElseThrow();
  }

  @Test
  void healthReadsBothUnitsOnEveryServer() {
    LAB.ssh("lab2", "/usr/bin/systemctl", "stop", "cmsd@cluster");
    RunResult r = runner.run(PHASES.health(inventory.servers()));
    assertTrue(r.allOk(), r.toString());
    assertEquals(0, r.exitCode());
    var health =
        new io.xrootdrestart.health.SystemdHealthCheck(PHASES).read(r, inventory.servers());
    assertEquals(Optional.of("active"), health.server("lab1").orElseThrow().xrootd());
    assertEquals(Optional.of("inactive"), health.server("lab2").orElseThrow().cmsd());
    assertEquals(Optional.of("active"), health.server("lab2").orElseThrow().xrootd());
    assertEquals(Optional.of("active"), health.server("lab3").orElseThrow().cmsd());
    assertEquals(Optional.of("active\nactive"), r.host("lab3").stdout(Phases.HEALTH_TASK));
  }

  @Test
  void anUnreachableServerMarksOnlyItsOwnItemOfTheShard() {
    LAB.unreachable("lab2", true);
    RunResult r;
    try {
      r = runner.run(PHASES.health(inventory.servers()));
    } finally {
      LAB.unreachable("lab2", false);
    }
    assertEquals(Outcome.UNREACHABLE, r.host("lab2").outcome(), r.host("lab2").describe());
    assertEquals(Outcome.OK, r.host("lab1").outcome(), r.host("lab1").describe());
    assertEquals(Outcome.OK, r.host("lab3").outcome(), "read after lab2, in the same shard");
    var health =
        new io.xrootdrestart.health.SystemdHealthCheck(PHASES).read(r, inventory.servers());
    assertEquals(2, health.healthyCount());
    assertEquals(false, health.server("lab2").orElseThrow().healthy());
  }

  @Test
  void drainThenCycleRunInOrderAsTheDaemonsUser() {
    RunResult drain = runner.run(PHASES.drain(server("lab1")));
    assertTrue(drain.allOk(), drain.toString());
    assertEquals("inactive", LAB.state("lab1", "cmsd@cluster"));
    RunResult cycle = runner.run(PHASES.cycle(server("lab1")));
    assertTrue(cycle.allOk(), cycle.toString());
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start xrootd@cluster",
            "start cmsd@cluster"),
        LAB.actions("lab1"));
    assertTrue(
        LAB.log("lab1").stream()
            .filter(c -> !c.verb().equals("is-active") || !c.user().equals("root"))
            .allMatch(c -> c.user().equals("xrootdrestart")),
        "every call but the test's own probes: " + LAB.log("lab1"));
    assertEquals(List.of(), LAB.actions("lab2"), "no other server was touched");
  }

  @Test
  void aFailingStartIsReportedWithItsStepAndRestoreStartsOnlyWhatIsDown() {
    LAB.fault("lab2", "xrootd@cluster", "fail-once", "start");
    RunResult cycle = runner.run(PHASES.cycle(server("lab2")));
    HostResult lab2 = cycle.host("lab2");
    assertEquals(Outcome.FAILED, lab2.outcome(), lab2.describe());
    assertEquals(Optional.of("Start xrootd@cluster"), lab2.step());
    assertTrue(
        lab2.message().contains("(rc 13)") // the script's third step
            && lab2.message().contains("Job for xrootd@cluster.service failed"),
        lab2.message());
    assertEquals(2, cycle.exitCode());
    assertEquals("failed", LAB.state("lab2", "xrootd@cluster"));

    LAB.clearLog("lab2");
    RunResult restore = runner.run(PHASES.restore(server("lab2")));
    assertTrue(restore.allOk(), restore.toString());
    assertEquals(
        List.of("start xrootd@cluster"), LAB.actions("lab2"), "cmsd was active and is left alone");
    assertEquals("active", LAB.state("lab2", "xrootd@cluster"));
  }

  @Test
  void aHangingStopTimesOutAndKillStopsTheUnit() {
    LAB.fault("lab3", "xrootd@cluster", "hang", "stop", "forever");
    RunResult cycle = runner.run(PHASES.cycle(server("lab3")));
    HostResult lab3 = cycle.host("lab3");
    assertEquals(Outcome.TIMED_OUT, lab3.outcome(), lab3.describe());
    assertEquals(Optional.of("Stop xrootd@cluster"), lab3.step());
    assertEquals("deactivating", LAB.state("lab3", "xrootd@cluster"));

    RunResult kill = runner.run(PHASES.kill(server("lab3"), "xrootd@cluster"));
    assertTrue(kill.allOk(), kill.toString());
    assertTrue(List.of("inactive", "failed").contains(LAB.state("lab3", "xrootd@cluster")));

    RunResult restore = runner.run(PHASES.restore(server("lab3")));
    assertTrue(restore.allOk(), restore.toString());
    assertEquals("active", LAB.state("lab3", "xrootd@cluster"));
    assertEquals("active", LAB.state("lab3", "cmsd@cluster"));
  }

  @Test
  void anUnreachableServerIsReportedAsSuch() throws Exception {
    // A runner of its own (no warm SSH master) with a short connect timeout keeps this test quick.
    Path state = dir.resolve("cold-state");
    Files.createDirectories(state);
    Files.copy(
        config.get(io.xrootdrestart.config.Keys.STATE_DIR).resolve("known_hosts"),
        state.resolve("known_hosts"));
    RunnerSettings base = RunnerSettings.from(config);
    AnsiblePlaybookRunner cold =
        new AnsiblePlaybookRunner(
            new RunnerSettings(
                base.inventory(),
                state,
                base.sshUser(),
                base.privateKey(),
                base.controlPersist(),
                Duration.ofSeconds(2),
                5),
            Clock.systemUTC());
    LAB.unreachable("lab3", true);
    RunResult drain = cold.run(PHASES.drain(server("lab3")));
    LAB.unreachable("lab3", false);
    assertEquals(Outcome.UNREACHABLE, drain.host("lab3").outcome(), drain.host("lab3").describe());
    assertEquals(4, drain.exitCode());
    assertEquals("active", LAB.state("lab3", "cmsd@cluster"), "nothing was done");
  }

  @Test
  void aRunPastItsBudgetIsKilledWithItsChildren() throws Exception {
    LAB.fault("lab1", "xrootd@cluster", "hang", "start", "forever");
    PhasePlaybook cycle =
        new Phases(Duration.ofSeconds(60), Duration.ofSeconds(2)).cycle(server("lab1"));
    PhasePlaybook tight =
        new PhasePlaybook(cycle.phase(), cycle.hosts(), cycle.play(), Duration.ofSeconds(3));
    RunResult r = runner.run(tight);
    assertTrue(r.killed());
    assertEquals(Outcome.TIMED_OUT, r.host("lab1").outcome(), r.host("lab1").describe());
    assertTrue(r.duration().compareTo(Duration.ofSeconds(10)) < 0, r.duration().toString());
    Lab.Result left = Lab.run(Map.of(), "pgrep", "-f", r.runDir().orElseThrow().toString());
    assertEquals(1, left.code(), "no ansible-playbook process of the run is left: " + left.out());
    LAB.fault("lab1", "xrootd@cluster", "clear");
  }

  @Test
  void everyRunIsKeptWithItsPlaybookEventsAndExitCodeWithinTheRetention() throws Exception {
    for (int i = 0; i < 3; i++) {
      runner.run(PHASES.health(inventory.servers()));
    }
    RunResult last = runner.run(PHASES.drain(server("lab2")));
    runner.run(PHASES.restore(server("lab2")));
    Path runDir = last.runDir().orElseThrow();
    assertTrue(runDir.getFileName().toString().endsWith("-lab2-drain"), runDir.toString());
    for (String f :
        List.of("playbook.yml", "extra-vars.json", "events.jsonl", "stderr.log", "result.json")) {
      assertTrue(Files.isRegularFile(runDir.resolve(f)), f);
    }
    assertTrue(Files.readString(runDir.resolve("result.json")).contains("\"exit_code\" : 0"));
    assertFalse(Files.readString(runDir.resolve("events.jsonl")).isBlank());
    try (Stream<Path> runs = Files.list(runDir.getParent())) {
      assertTrue(runs.count() <= 8, "run_retention is 8");
    }
  }
}
