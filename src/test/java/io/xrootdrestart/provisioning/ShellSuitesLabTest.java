package io.xrootdrestart.provisioning;

import io.xrootdrestart.testing.LabTest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Lab;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lab's self-test and the setup.yml end-to-end test are shell scripts (they are also run by hand);
 * this runs them as part of the test suite. Each brings up and tears down its own lab.
 */
@LabTest
class ShellSuitesLabTest {
  private static void passes(String script) {
    Lab.Result r = Lab.run(Map.of(), script);
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
    passes("testing/setup/test-setup");
  }
}
