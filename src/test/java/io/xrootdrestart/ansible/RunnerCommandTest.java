package io.xrootdrestart.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Phases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Forks are a property of each run, never of the ansible.cfg that all runs share. */
class RunnerCommandTest {
  private static final RunnerSettings SETTINGS =
      new RunnerSettings(
          "inv.yml",
          Path.of("/state"),
          "xrootdrestart",
          Path.of("/keys/k"),
          Duration.ofMinutes(6),
          Duration.ofSeconds(10),
          5);
  private static final Phases PHASES = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10));

  private static Server server(String name) {
    return new Server(
        name, name + ".example.org", 22, Optional.empty(), "cmsd@cluster", "xrootd@cluster");
  }

  private static List<Server> fleet(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> server("lab" + i)).toList();
  }

  private static String forks(PhasePlaybook p) {
    List<String> command =
        AnsiblePlaybookRunner.command(SETTINGS, p.hosts().size(), Path.of("/state/runs/r"));
    return command.get(command.indexOf("--forks") + 1);
  }

  @Test
  void aFleetThatShrinksAndGrowsAgainGetsItsFullForksBack() {
    // The inventory goes 20 -> 3 -> 20 servers while one daemon (one runner) keeps running.
    assertEquals(
        List.of("20", "3", "20"),
        List.of(
            forks(PHASES.health(fleet(20))),
            forks(PHASES.health(fleet(3))),
            forks(PHASES.health(fleet(20)))));
  }

  @Test
  void oneServerOneForkAndALargeFleetIsCapped() {
    assertEquals("1", forks(PHASES.drain(server("lab1"))));
    assertEquals(
        Integer.toString(AnsiblePlaybookRunner.MAX_FORKS), forks(PHASES.health(fleet(200))));
  }

  @Test
  void theSharedConfigNamesNoForks() {
    String cfg = AnsibleConfig.render(SETTINGS, Path.of("/state/cp"));
    assertFalse(cfg.contains("forks"), cfg);
  }
}
