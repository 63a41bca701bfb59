package io.xrootdrestart.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Gate;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.playbook.RestartPlaybook;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart's single run on the lab, with the lab's action log as the witness: nothing reaches the
 * server before its gate is open, and a run told to stop, or whose drain failed, does nothing more.
 */
@LabTest
class GatedRunLabTest {
  @RegisterExtension static final Lab LAB = Lab.shared(3);

  @TempDir static Path dir;

  static Inventory inventory;
  static Config config;
  static AnsiblePlaybookRunner runner;
  static final Phases PHASES = new Phases(Duration.ofSeconds(5), Duration.ofSeconds(2));

  @BeforeAll
  static void provision() throws Exception {
    config = LAB.provision(dir.resolve("etc"), Map.of("run_retention", 8, "connect_timeout", 2));
    inventory = new InventoryLoader(new AnsibleInventory()).load(config);
    runner = new AnsiblePlaybookRunner(RunnerSettings.from(config), Clock.systemUTC());
  }

  @BeforeEach
  void everyUnitActiveNoFaults() {
    LAB.reset();
  }

  private static RestartPlaybook restartOf(String name) {
    Server s = inventory.server(name).orElseThrow();
    return PHASES.restart(s, PHASES.health(inventory.servers()), Duration.ofSeconds(1));
  }

  @Test
  void eachPlayWaitsAtItsGateAndTheRestartHappensInOrder() throws Exception {
    RestartPlaybook playbook = restartOf("lab1");
    Path runDir;
    try (GatedRun run = runner.start(playbook)) {
      runDir = run.runDir().orElseThrow();
      RunResult health = run.await(Phase.HEALTH);
      assertTrue(health.allOk(), health.toString());
      assertEquals(Optional.of("active\nactive"), health.host("lab3").stdout(Phases.HEALTH_TASK));
      Thread.sleep(1500);
      assertEquals(List.of(), LAB.actions("lab1"), "nothing before the slot gate is open");

      run.open(Gate.SLOT);
      RunResult drain = run.await(Phase.DRAIN);
      assertTrue(drain.allOk(), drain.toString());
      Thread.sleep(1500);
      assertEquals(
          List.of("stop cmsd@cluster"),
          LAB.actions("lab1"),
          "only the drain before the cycle gate");

      run.open(Gate.CYCLE);
      RunResult cycle = run.await(Phase.CYCLE);
      assertTrue(cycle.allOk(), cycle.toString());
    }
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start xrootd@cluster",
            "start cmsd@cluster"),
        LAB.actions("lab1"));
    assertEquals(List.of(), LAB.actions("lab2"), "no other server was touched");
    String result = Files.readString(runDir.resolve("result.json"));
    assertTrue(
        result.contains("\"exit_code\" : 0") && result.contains("\"slot\", \"cycle\""), result);
    assertTrue(Files.readString(runDir.resolve("playbook.yml")).contains("head -n 1 gates/slot"));
  }

  /**
   * A small fleet's health play leaves an SSH control master per server, for the next slot's health
   * play to reuse (a fleet above Phases.SHARED_CONNECTIONS_UP_TO leaves none: PhasesTest); the
   * target's drain reuses its own.
   */
  @Test
  void theHealthPlayOfASmallFleetLeavesAControlMasterPerServerForTheNextSlot() throws Exception {
    Path sockets = AnsiblePlaybookRunner.controlPathDir(RunnerSettings.from(config));
    Files.createDirectories(sockets);
    try (var old = Files.list(sockets)) {
      for (Path p : old.toList()) {
        Files.delete(p); // masters of earlier tests: no longer found, so none is reused
      }
    }
    try (GatedRun run = runner.start(restartOf("lab2"))) {
      assertTrue(run.await(Phase.HEALTH).allOk());
      try (var now = Files.list(sockets)) {
        assertEquals(3, now.count(), "a master for each of the three servers read");
      }
      run.open(Gate.SLOT);
      assertTrue(run.await(Phase.DRAIN).allOk());
      try (var now = Files.list(sockets)) {
        assertEquals(3, now.count(), "the drain reused the target's");
      }
    }
  }

  @Test
  void aRunClosedAtTheSlotGateEndsAtOnceWithoutTouchingTheServer() {
    long start;
    Path runDir;
    try (GatedRun run = runner.start(restartOf("lab2"))) {
      runDir = run.runDir().orElseThrow();
      assertTrue(run.await(Phase.HEALTH).allOk());
      start = System.nanoTime();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.toSeconds() < 10, "the run ended " + took + " after it was told to stop");
    assertEquals(List.of(), LAB.actions("lab2"));
    String events = read(runDir.resolve("events.jsonl"));
    assertTrue(
        events.contains("\"v2_runner_on_skipped\"")
            && events.contains("Conditional result was False"),
        "the drain's task was skipped at its gate: " + events);
  }

  @Test
  void aFailedDrainEndsTheRunBeforeTheCycle() throws Exception {
    LAB.fault("lab3", "cmsd@cluster", "fail-once", "stop");
    try (GatedRun run = runner.start(restartOf("lab3"))) {
      assertTrue(run.await(Phase.HEALTH).allOk());
      run.open(Gate.SLOT);
      HostResult drain = run.await(Phase.DRAIN).host("lab3");
      assertEquals(Outcome.FAILED, drain.outcome(), drain.describe());
      assertEquals(Optional.of("Stop cmsd@cluster"), drain.step());
      run.open(Gate.CYCLE); // too late to matter: the server has left the run
      HostResult cycle = run.await(Phase.CYCLE).host("lab3");
      assertEquals(Outcome.FAILED, cycle.outcome(), cycle.describe());
    }
    assertEquals(List.of("stop cmsd@cluster"), LAB.actions("lab3"), "nothing after the failure");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
