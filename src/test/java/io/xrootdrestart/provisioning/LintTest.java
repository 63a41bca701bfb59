package io.xrootdrestart.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What site admins will read stays clean by the linters they use. */
@UsesTools
class LintTest {
  /**
   * One ansible-lint run for everything: the playbooks and roles, the test units' playbooks, the
   * generated golden playbooks.
   */
  @Test
  void ansibleLintProductionProfile() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ansible-lint",
                "--profile",
                "production",
                "--nocolor",
                "playbooks",
                "roles",
                "testing/xrootd-service/install.yml",
                "testing/xrootd-service/remove.yml"));
    try (Stream<Path> golden = Files.list(Path.of("src/test/resources/golden"))) {
      golden
          .filter(f -> f.toString().endsWith(".yml"))
          .sorted()
          .forEach(f -> command.add(f.toString()));
    }
    Lab.Result r = Lab.run(Map.of(), command.toArray(String[]::new));
    assertEquals(0, r.code(), r.out());
  }

  /**
   * Every shell script of the project (testing/, Monitoring/, .ci/): ShellCheck with its default
   * rules.
   */
  @Test
  void shellcheck() throws Exception {
    List<String> command = new ArrayList<>(List.of("shellcheck", "--external-sources"));
    for (String dir : List.of("testing", "Monitoring", ".ci")) {
      try (Stream<Path> files = Files.walk(Path.of(dir))) {
        files
            .filter(Files::isRegularFile)
            .filter(LintTest::isShellScript)
            .sorted()
            .forEach(f -> command.add(f.toString()));
      }
    }
    assertTrue(command.size() > 10, "scripts found: " + command);
    Lab.Result r = Lab.run(Map.of(), command.toArray(String[]::new));
    assertEquals(0, r.code(), r.out());
  }

  /** Every Java file is as google-java-format writes it; testing/format fixes what this lists. */
  @Test
  void javaFormat() {
    Lab.Result r = Lab.run(Map.of(), "testing/format", "--check");
    assertEquals(0, r.code(), "not formatted (run testing/format):\n" + r.out());
  }

  private static boolean isShellScript(Path f) {
    try (java.io.BufferedReader in = Files.newBufferedReader(f)) {
      String first = in.readLine();
      return first != null && first.matches("#!\\s*(/usr)?/bin/(env )?(ba)?sh\\b.*");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false; // not text
    }
  }

  @Test
  void yamllint() {
    Lab.Result r =
        Lab.run(
            Map.of(),
            "yamllint",
            "--strict",
            "playbooks",
            "roles",
            "inventory",
            "testing/xrootd-service",
            ".yamllint");
    assertEquals(0, r.code(), r.out());
  }

  @Test
  void setupPlaybookSyntax() {
    Lab.Result r =
        Lab.run(
            Map.of("ANSIBLE_ROLES_PATH", "roles"),
            "ansible-playbook",
            "--syntax-check",
            "-i",
            "localhost,",
            "playbooks/setup.yml");
    assertEquals(0, r.code(), r.out());
  }
}
