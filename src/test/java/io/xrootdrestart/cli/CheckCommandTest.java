package io.xrootdrestart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.ansible.Commands;
import io.xrootdrestart.ansible.ToolNotFoundException;
import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@UsesTools
class CheckCommandTest {
  private static final Path INVENTORY =
      Path.of("src/test/resources/inventory/hosts.yml").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void printsEverySettingWithItsOriginAndTheServersInOrder() throws Exception {
    Path config = dir.resolve("c.yml");
    Files.writeString(config, "cluster_id: t2\ncmsd_wait: 5m\ninventory: " + INVENTORY + "\n");
    Cli.Result r =
        new Cli(dir)
            .env("XROOTDRESTART_MIN_OK", "2")
            .run("check", "--config", config.toString(), "--cmsd-period", "1d");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("Config file: " + config), r.out());
    assertTrue(r.out().matches("(?s).*cluster_id +t2 +" + config + ":1\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*cmsd_period +1d +command line --cmsd-period\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*min_ok +2 +environment XROOTDRESTART_MIN_OK\n.*"), r.out());
    assertTrue(r.out().matches("(?s).*service_timeout +2m +default\n.*"), r.out());
    assertTrue(
        r.out()
            .matches(
                "(?s).*Servers: 4 in group xrootd_servers.*1 +store3\\.example\\.org"
                    + " +192\\.0\\.2\\.13:22.*2 +store1\\.example\\.org +192\\.0\\.2\\.11:2222.*"),
        r.out());
    assertTrue(
        r.out()
            .contains(
                "Rotations: 2, run at the same time:\n"
                    + "  xrootd_servers: store3.example.org, store1.example.org,"
                    + " store2.example.org\n"
                    + "      min_ok 2  (environment XROOTDRESTART_MIN_OK)\n"
                    + "      cmsd_period 1d  (command line --cmsd-period)\n"
                    + "  extra: store9.example.org\n"
                    + "      min_ok 0  (inventory "
                    + INVENTORY
                    + ", group extra)\n"),
        r.out());
  }

  @Test
  void badRotationsAreExitTwoNamingInventoryGroupAndVariableForEveryCommand() throws Exception {
    Path resources = Path.of("src/test/resources/inventory").toAbsolutePath();
    Path config = dir.resolve("c.yml");
    Files.writeString(config, "cluster_id: t2\nstate_dir: " + dir.resolve("state") + "\n");
    for (String command : List.of("check", "plan", "status", "run")) {
      Cli.Result r =
          new Cli(dir)
              .run(
                  command,
                  "--config",
                  config.toString(),
                  "--inventory",
                  resources.resolve("rotation-unmeetable.yml").toString());
      assertEquals(2, r.exitCode(), command + ": " + r);
      assertTrue(
          r.err()
              .contains(
                  resources.resolve("rotation-unmeetable.yml")
                      + ", group atlas: xrootdrestart_min_ok: 3 can never be met"),
          command + ": " + r.err());
    }
    Cli.Result twice =
        new Cli(dir)
            .run(
                "restart",
                "a1.example.org",
                "--config",
                config.toString(),
                "--inventory",
                resources.resolve("two-rotations.yml").toString());
    assertEquals(2, twice.exitCode(), twice.toString());
    assertTrue(twice.err().contains("host shared.example.org is in two rotations"), twice.err());
  }

  @Test
  void helpAndVersionWork() {
    Cli.Result help = new Cli(dir).run("--help");
    assertEquals(0, help.exitCode());
    assertTrue(help.out().contains("check") && help.out().contains("migrate-config"), help.out());
    Cli.Result version = new Cli(dir).run("--version");
    assertEquals(0, version.exitCode());
    assertTrue(version.out().startsWith("xrootdrestart "), version.out());
    for (String command : List.of("check", "migrate-config")) {
      Cli.Result r = new Cli(dir).run(command, "--help");
      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.out().contains("Exit codes:"), r.out());
    }
    assertTrue(new Cli(dir).run("check", "--help").out().contains("--cmsd-wait=DURATION"));
  }

  @Test
  void missingAnsibleIsAClearBadInputError() {
    ToolNotFoundException e =
        assertThrows(
            ToolNotFoundException.class,
            () ->
                Commands.run(
                    List.of("ansible-inventory-not-installed", "--list"),
                    Map.of(),
                    Duration.ofSeconds(5)));
    assertTrue(
        e.getMessage()
            .startsWith("ansible-inventory-not-installed not found on PATH: install Ansible"),
        e.getMessage());
    assertEquals(2, e.exitCode());
  }
}
