package io.xrootdrestart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Platform;
import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command and config fragment of the README is exercised: run here, or run by the test or
 * script named in {@link #HOW}, which this test checks still runs it.
 */
@UsesTools
class ReadmeExamplesTest {
  private static final ReadmeExamples README = ReadmeExamples.read();

  /**
   * Commands run elsewhere: the command's start, the file that runs it, and what that file must
   * contain.
   */
  private static final List<String[]> HOW =
      List.of(
          new String[] {
            "testing/demo", "src/test/java/io/xrootdrestart/ship/DemoIT.java", "\"testing/demo\""
          },
          new String[] {"testing/test", ".ci/run", "\ntesting/test\n"},
          // The container section: testing/container runs its lines as written (and .ci/run runs
          // it).
          new String[] {"podman ", "testing/container", "\"## Install in a container\""},
          new String[] {
            "chown -R 10001:10001 ", "testing/container", "\"## Install in a container\""
          },
          new String[] {"chgrp 10001 ", "testing/container", "\"## Install in a container\""},
          new String[] {"chmod 0640 ", "testing/container", "\"## Install in a container\""},
          new String[] {
            "xrootdrestart ",
            "src/test/java/io/xrootdrestart/cli/ControlCommandsTest.java",
            "ReadmeExamples.read().commands()"
          },
          new String[] {
            "mvn -B -ntp package -DskipTests", "testing/demo", "mvn -B -q -ntp package -DskipTests"
          },
          new String[] {
            "ansible-playbook -i /etc/xrootdrestart/hosts.yml playbooks/setup.yml",
            "testing/setup/test-controller",
            "ansible-playbook -i /etc/xrootdrestart/hosts.yml playbooks/setup.yml"
          },
          new String[] {
            "cd /var/lib/xrootdrestart/runs/",
            "src/test/java/io/xrootdrestart/alerts/MonitoringLabTest.java",
            "readme.command(\"cd /var/lib/xrootdrestart/runs/\")"
          },
          new String[] {
            "ANSIBLE_CONFIG=/var/lib/xrootdrestart/ansible/ansible.cfg ansible-playbook",
            "src/test/java/io/xrootdrestart/alerts/MonitoringLabTest.java",
            "readme.command(\"ANSIBLE_CONFIG="
          });

  /** Extra vars of setup.yml in the README, and a test that passes each. */
  private static final Map<String, String> EXTRA_VARS =
      Map.of(
          "xrootdrestart_controller_mode=service", "testing/setup/test-controller",
          "xrootdrestart_config=", "src/test/java/io/xrootdrestart/testing/Lab.java");

  @TempDir Path dir;

  @Test
  void everyCommandIsRunHereOrByATestThatStillRunsIt() throws Exception {
    List<String> unexercised = new ArrayList<>();
    for (String command : README.commands()) {
      boolean here =
          command.startsWith("java -jar target/xrootdrestart.jar ")
              || command.startsWith("apt-get install -y ");
      Optional<String[]> elsewhere = HOW.stream().filter(h -> command.startsWith(h[0])).findFirst();
      if (elsewhere.isPresent()) {
        String file = Files.readString(Path.of(elsewhere.get()[1]));
        assertTrue(
            file.contains(elsewhere.get()[2]), elsewhere.get()[1] + " no longer runs: " + command);
      } else if (!here) {
        unexercised.add(command);
      }
      for (Map.Entry<String, String> e : EXTRA_VARS.entrySet()) {
        if (command.contains("-e " + e.getKey())) {
          assertTrue(
              Files.readString(Path.of(e.getValue())).contains(e.getKey()),
              e.getValue() + " does not pass " + e.getKey());
        }
      }
    }
    assertEquals(List.of(), unexercised, "README commands that no test runs");
  }

  @Test
  void theAptPackagesExist() {
    String command = README.command("apt-get install -y ");
    List<String> args = new ArrayList<>(List.of("apt-cache", "show", "--no-all-versions"));
    args.addAll(Arrays.asList(command.substring("apt-get install -y ".length()).split(" ")));
    Lab.Result r = Lab.run(Map.of(), args.toArray(String[]::new));
    assertEquals(0, r.code(), r.out());
  }

  @Test
  void theMigrationCommandsRun() throws Exception {
    Path etc = dir.resolve("etc");
    Files.createDirectories(etc);
    Files.writeString(
        etc.resolve("xrootdrestart.conf"),
        "[general]\ncluster_id = atlas\nmin_ok = 1\nalert_url =\n"
            + "pushgw_url =\nservers = store1.example.org, store2.example.org:2222\n");
    for (String prefix :
        List.of(
            "java -jar target/xrootdrestart.jar migrate-config",
            "java -jar target/xrootdrestart.jar check")) {
      String command = README.command(prefix).replace("/etc/xrootdrestart", etc.toString());
      String[] args = command.substring("java -jar target/xrootdrestart.jar ".length()).split(" ");
      Cli.Result r = new Cli(dir).run(args);
      assertEquals(0, r.exitCode(), command + "\n" + r);
    }
  }

  @Test
  void theConfigFragmentsLoad() throws Exception {
    int fragments = 0;
    for (ReadmeExamples.Block b : README.blocks()) {
      if (b.language().equals("yaml")
          && b.lines().get(0).equals("# /etc/xrootdrestart/xrootdrestart.yml")) {
        Path file =
            Files.writeString(dir.resolve("xrootdrestart" + fragments++ + ".yml"), b.text());
        new ConfigLoader(new Platform(true, dir, dir, Map.of())).load(Optional.of(file), Map.of());
      }
    }
    assertTrue(fragments > 0, "no config fragment found in the README");
  }
}
