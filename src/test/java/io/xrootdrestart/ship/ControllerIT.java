package io.xrootdrestart.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Lab;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The controller install ({@code setup.yml} with {@code xrootdrestart_controller_mode}, role
 * xrootdrestart_controller) inside a lab server: {@code testing/setup/test-controller}, on the
 * packaged jar.
 */
class ControllerIT {
  @Test
  void controllerRole() {
    Lab.Result r =
        Lab.run(
            Map.of("JAR", Path.of("target/xrootdrestart.jar").toAbsolutePath().toString()),
            "testing/setup/test-controller");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().matches("(?s).*\\n\\d+ passed, 0 failed\\s*$"), r.out());
  }
}
