package io.xrootdrestart.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.CliLauncher;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lab's self-test and the setup.yml end-to-end test are shell scripts (they are also run by
 * hand); this runs them as part of the test suite. Each brings up and tears down its own lab.
 */
@LabTest
class ShellSuitesLabTest {
  private static void passes(String script) {
    passes(script, Map.of());
  }

  private static void passes(String script, Map<String, String> env) {
    Lab.Result r = Lab.run(env, script);
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().matches("(?s).*\\n\\d+ passed, 0 failed\\s*$"), r.out());
  }

  @Test
  void labSelftest() {
    passes("testing/lab/selftest");
  }

  @Test
  void monitoringStack() {
    passes("Monitoring/test");
  }

  @Test
  void setupPlaybook() {
    passes(
        "testing/setup/test-setup",
        Map.of("JAR", CliLauncher.path().toString())); // this build, not target/'s jar
  }
}
