package io.xrootdrestart.provisioning;

import io.xrootdrestart.testing.UsesTools;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xrootdrestart.testing.Lab;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What site admins will read stays clean by the linters they use. */
@UsesTools
class LintTest {
  @Test
  void ansibleLintProductionProfile() {
    Lab.Result r = Lab.run(Map.of(), "ansible-lint", "--profile", "production", "--nocolor", "playbooks", "roles",
        "testing/xrootd-service/install.yml", "testing/xrootd-service/remove.yml");
    assertEquals(0, r.code(), r.out());
  }

  @Test
  void yamllint() {
    Lab.Result r = Lab.run(Map.of(), "yamllint", "--strict", "playbooks", "roles", "inventory", "testing/xrootd-service",
        ".yamllint");
    assertEquals(0, r.code(), r.out());
  }

  @Test
  void setupPlaybookSyntax() {
    Lab.Result r = Lab.run(Map.of("ANSIBLE_ROLES_PATH", "roles"), "ansible-playbook", "--syntax-check", "-i", "localhost,",
        "playbooks/setup.yml");
    assertEquals(0, r.code(), r.out());
  }
}
