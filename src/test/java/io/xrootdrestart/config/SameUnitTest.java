package io.xrootdrestart.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.inventory.InventoryException;
import io.xrootdrestart.inventory.InventoryParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * cmsd_svc and xrootd_svc must be two units, in the config and per host: the daemon's rule
 * (setup.yml and its node role keep no copy of it), and the comment wrapping of the config
 * template.
 */
class SameUnitTest {
  private static final Platform PLATFORM =
      new Platform(false, Path.of("/home/u"), Path.of("/tmp"), Map.of());

  @Test
  void theConfigMustNameTwoUnits() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                new ConfigLoader(PLATFORM)
                    .load(Optional.empty(), Map.of(Keys.XROOTD_SVC, "cmsd@cluster.service")));
    assertEquals(
        "command line --xrootd-svc: xrootd_svc: cmsd_svc and xrootd_svc name the same unit,"
            + " cmsd@cluster; they must be the two different units of a server",
        e.getMessage());
    assertTrue(UnitNames.same("a@b", "a@b.service"));
    assertFalse(UnitNames.same("a@b", "a@c"));
  }

  @Test
  void soMustEachHost() {
    String json =
        "{\"xrootd_servers\": {\"hosts\": [\"s1\", \"s2\"]}, \"_meta\": {\"hostvars\": {\"s2\":"
            + " {\"xrootd_svc\": \"cmsd@cluster\"}}}}";
    InventoryException e =
        assertThrows(
            InventoryException.class,
            () ->
                new InventoryParser("hosts.yml", "cmsd@cluster", "xrootd@cluster")
                    .parse(json, "xrootd_servers"));
    assertTrue(
        e.getMessage()
            .contains(
                "host s2: xrootd_svc: cmsd_svc and xrootd_svc name the same unit, cmsd@cluster"),
        e.getMessage());
  }

  @Test
  void templateCommentsNeverStartALineWithAWordThatReadsAsAKey() {
    List<String> lines = ConfigTemplate.comment("a ".repeat(53) + "x blank: off, and more words");
    assertEquals(2, lines.size(), lines.toString());
    for (String line : lines) {
      assertFalse(ConfigTemplate.KEY_LINE.matcher(line).matches(), lines.toString());
      assertTrue(line.length() <= 112, line);
    }
    assertTrue(
        lines.get(1).startsWith("# x blank: off"),
        lines.toString()); // "blank:" would have started it
  }
}
