package io.xrootdrestart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@UsesTools
class MigrateConfigTest {
  private static final Path LEGACY = Path.of("src/test/resources/legacy").toAbsolutePath();

  @TempDir Path dir;

  @Test
  void convertsTheOldIniIntoConfigAndInventoryThatCheckAccepts() throws Exception {
    Path out = dir.resolve("new");
    Cli.Result r =
        new Cli(dir)
            .run(
                "migrate-config",
                LEGACY.resolve("xrootdrestart.conf").toString(),
                "--out",
                out.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("wrote " + out.resolve("xrootdrestart.yml")), r.toString());

    JsonNode config = new YAMLMapper().readTree(out.resolve("xrootdrestart.yml").toFile());
    assertEquals("atlas-t2", config.get("cluster_id").asText());
    assertEquals(600, config.get("cmsd_wait").asInt());
    assertEquals("PUSH", config.get("metrics_method").asText());
    assertEquals("cmsd@atlas", config.get("cmsd_svc").asText());
    assertEquals("hosts.yml", config.get("inventory").asText());
    assertEquals(
        LEGACY.toString(), config.get("pkey_path").asText(), "the old key stays where it was");
    assertFalse(config.has("servers"));

    // The real check (with the real ansible-inventory) reads both files back.
    Cli.Result check =
        new Cli(dir)
            .run("check", "--json", "--config", out.resolve("xrootdrestart.yml").toString());
    assertEquals(0, check.exitCode(), check.toString());
    JsonNode resolved = new YAMLMapper().readTree(check.out());
    List<String> names = resolved.get("servers").findValuesAsText("name");
    assertEquals(
        List.of(
            "store1.example.org", "store2.example.org", "store3.example.org", "store4.example.org"),
        names);
    assertEquals(2222, resolved.get("servers").get(3).get("port").asInt());
    assertEquals("10m", resolved.at("/settings/cmsd_wait/value").asText());
    assertEquals("WARNING", resolved.at("/settings/log_level/value").asText());
    assertEquals(
        out.resolve("xrootdrestart.yml") + ":",
        resolved.at("/settings/min_ok/origin").asText().replaceAll("\\d+$", ""));
  }

  @Test
  void refusesToOverwriteUnlessForced() throws Exception {
    Path conf = LEGACY.resolve("xrootdrestart.conf");
    Files.writeString(dir.resolve("hosts.yml"), "mine\n");
    Cli.Result r = new Cli(dir).run("migrate-config", conf.toString(), "--out", dir.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains(dir.resolve("hosts.yml") + " exists; pass --force"), r.toString());
    assertEquals("mine\n", Files.readString(dir.resolve("hosts.yml")));
    assertFalse(
        Files.exists(dir.resolve("xrootdrestart.yml")), "nothing is written when one file exists");

    Cli.Result forced =
        new Cli(dir).run("migrate-config", conf.toString(), "--out", dir.toString(), "--force");
    assertEquals(0, forced.exitCode(), forced.toString());
    assertTrue(Files.readString(dir.resolve("hosts.yml")).contains("store4.example.org"));
  }

  @Test
  void badOldValuesNameTheOldFileLineAndKey() {
    Path bad = LEGACY.resolve("bad.conf");
    Cli.Result r =
        new Cli(dir).run("migrate-config", bad.toString(), "--out", dir.resolve("x").toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains(bad + ":2: cmsd_wait: expected a duration"), r.toString());
    assertTrue(r.err().contains(bad + ":3: min_ok: must be between 0 and"), r.toString());
    assertFalse(Files.exists(dir.resolve("x")));
  }

  @Test
  void aMissingSectionIsNamedNotACrash() {
    Path bad = LEGACY.resolve("nosection.conf");
    Cli.Result r = new Cli(dir).run("migrate-config", bad.toString(), "--out", dir.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(
        r.err().contains(bad + ":1: \"servers = a, b\" stands before any section"), r.toString());
  }
}
