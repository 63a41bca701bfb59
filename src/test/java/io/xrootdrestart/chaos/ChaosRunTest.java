package io.xrootdrestart.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.CliLauncher;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short form of the chaos scenarios ({@code testing/chaos run}, see
 * testing/chaoslib/scenarios.py): 20 randomized fault-injection scenarios with fixed seeds, each
 * judged by its invariants (min_ok, nothing left stopped, no double restart, one at a time, alerts,
 * state) from the lab's action logs, Alertmanager and the state file. The daemon is this build's
 * (through {@link CliLauncher}, as setup.yml gets it in the other lab tests). A lab that cannot
 * start fails the test: the script exits 2 then, never 0. A failing scenario prints its seed, its
 * timeline and the evidence; {@code testing/chaos replay SEED} runs it again.
 */
@LabTest
class ChaosRunTest {
  @Test
  void twentyScenariosKeepEveryInvariant() {
    Lab.Result r =
        Lab.run(
            Map.of(
                "JAR", CliLauncher.path().toString(), "CHAOS_DIR", "/tmp/xrootdrestart-chaos-test"),
            "testing/chaos",
            "run",
            "--scenarios",
            "20",
            "--seed",
            "20261202");
    assertEquals(0, r.code(), r.out());
    assertTrue(
        r.out().matches("(?s).*\\nchaos summary: 20 scenario\\(s\\), 20 passed, 0 failed in .*"),
        r.out());
  }
}
