package io.xrootdrestart.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuardTest {
  /** "a:ok b:down c:?" : healthy, a unit inactive, unreachable. */
  static FleetHealth fleet(String spec) {
    Map<String, ServerHealth> m = new LinkedHashMap<>();
    for (String part : spec.split(" ")) {
      String[] kv = part.split(":");
      m.put(
          kv[0],
          switch (kv[1]) {
            case "ok" -> ServerHealth.of(kv[0], "active", "active");
            case "down" -> ServerHealth.of(kv[0], "inactive", "active");
            case "failed" -> ServerHealth.of(kv[0], "active", "failed");
            case "starting" -> ServerHealth.of(kv[0], "activating", "active");
            default -> ServerHealth.unknown(kv[0], "unreachable");
          });
    }
    return new FleetHealth(m);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // fleet, min_ok, target, proceeds
        Arguments.of("a:ok b:ok c:ok", 1, "a", true),
        Arguments.of("a:ok b:ok c:ok", 2, "a", true),
        Arguments.of("a:ok b:ok c:ok", 3, "a", false),
        Arguments.of("a:ok b:down c:?", 1, "a", false),
        Arguments.of("a:ok b:down c:ok", 1, "a", true),
        Arguments.of("a:down b:ok c:ok", 2, "a", true),
        Arguments.of("a:? b:ok c:ok", 2, "a", true),
        Arguments.of("a:ok b:failed c:starting", 1, "a", false),
        Arguments.of("a:ok b:ok c:ok", 0, "a", true),
        Arguments.of("a:? b:? c:?", 0, "a", true),
        Arguments.of("a:ok", 1, "a", false),
        Arguments.of("a:ok", 0, "a", true));
  }

  @ParameterizedTest(name = "{0}, min_ok {1}, target {2}: proceeds {3}")
  @MethodSource("table")
  void decidesOnHealthyServersOtherThanTheTarget(
      String spec, int minOk, String target, boolean proceeds) {
    assertEquals(proceeds, Guard.decide(fleet(spec), minOk, target, List.of()).proceeds());
  }

  @Test
  void aHoldSaysWhy() {
    Decision d = Guard.decide(fleet("a:ok b:down c:?"), 1, "a", List.of());
    Decision.Hold hold = (Decision.Hold) d;
    assertEquals(
        "only 0 servers other than a healthy, min_ok is 1; unhealthy: b (cmsd inactive, xrootd"
            + " active), c (unreachable)",
        hold.reason());
  }

  @Test
  void aFiringBlockingAlertHoldsEvenWithEnoughServers() {
    Decision d = Guard.decide(fleet("a:ok b:ok c:ok"), 1, "a", List.of("DiskFull"));
    assertTrue(d instanceof Decision.Hold h && h.reason().contains("DiskFull"), d.toString());
  }
}
