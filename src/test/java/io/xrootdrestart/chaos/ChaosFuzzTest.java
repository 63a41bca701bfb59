package io.xrootdrestart.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.CliLauncher;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The short form of the input fuzzer ({@code testing/chaos fuzz}, see testing/chaoslib/fuzz.py):
 * 300 broken configs, inventories, legacy INI files, state files and command lines with a fixed
 * seed, each of which must end in success or in exit 2 with a message naming the file (line, key),
 * never in a stack trace, a hang or an action on a lab server. The daemon is this build's (through
 * {@link CliLauncher}, as setup.yml gets it in the other lab tests). A lab that cannot start fails
 * the test: the script exits non-zero then. A failing case is printed with its seed; {@code
 * testing/chaos fuzz --case SEED} runs it again.
 */
@LabTest
class ChaosFuzzTest {
  @Test
  void threeHundredBrokenInputsAreRefusedCleanly() {
    Lab.Result r =
        Lab.run(
            Map.of(
                "JAR",
                CliLauncher.path().toString(),
                "CHAOS_DIR",
                "/tmp/xrootdrestart-chaos-fuzz-test"),
            "testing/chaos",
            "fuzz",
            "--cases",
            "300",
            "--seed",
            "20261202");
    int summary = r.out().lastIndexOf("\n300 cases in ");
    System.out.println(summary < 0 ? r.out() : r.out().substring(summary + 1));
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().matches("(?s).*\\n0 failed\\nall passed\\s*$"), r.out());
  }
}
