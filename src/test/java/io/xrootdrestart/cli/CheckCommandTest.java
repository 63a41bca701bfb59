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
