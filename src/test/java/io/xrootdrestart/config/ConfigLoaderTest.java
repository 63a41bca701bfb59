package io.xrootdrestart.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private final Map<String, String> env = new HashMap<>();

  private Config load(Path file, Map<Key<?>, String> cli) {
    return new ConfigLoader(new Platform(false, dir, dir, env))
        .load(Optional.ofNullable(file), cli);
  }

  private Path file(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  @Test
  void commandLineBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
    Path f = file("c.yml", "cmsd_wait: 10\nmin_ok: 3\n");
    env.put("XROOTDRESTART_CMSD_WAIT", "20");

    Config all = load(f, Map.of(Keys.CMSD_WAIT, "30"));
    assertEquals(Duration.ofSeconds(30), all.get(Keys.CMSD_WAIT));
    assertEquals(Origin.commandLine("--cmsd-wait"), all.setting(Keys.CMSD_WAIT).origin());

    Config envAndFile = load(f, Map.of());
    assertEquals(Duration.ofSeconds(20), envAndFile.get(Keys.CMSD_WAIT));
    assertEquals(
        Origin.environment("XROOTDRESTART_CMSD_WAIT"), envAndFile.setting(Keys.CMSD_WAIT).origin());
    assertEquals(Origin.file(f, 2), envAndFile.setting(Keys.MIN_OK).origin());

    env.clear();
    Config fileOnly = load(f, Map.of());
    assertEquals(Duration.ofSeconds(10), fileOnly.get(Keys.CMSD_WAIT));
    assertEquals(Origin.file(f, 1), fileOnly.setting(Keys.CMSD_WAIT).origin());

    Config none = load(null, Map.of());
    assertEquals(Duration.ofSeconds(300), none.get(Keys.CMSD_WAIT));
    assertEquals(Origin.DEFAULT, none.setting(Keys.CMSD_WAIT).origin());
  }

  @Test
  void defaultsAreThePredecessors() {
    Config c = load(null, Map.of());
    assertEquals("production", c.get(Keys.CLUSTER_ID));
    assertEquals(Duration.ofSeconds(259200), c.get(Keys.CMSD_PERIOD));
    assertEquals(Duration.ofSeconds(300), c.get(Keys.CMSD_WAIT));
    assertEquals(Duration.ofSeconds(120), c.get(Keys.SERVICE_TIMEOUT));
    assertEquals(1, c.get(Keys.MIN_OK));
    assertEquals(LogLevel.INFO, c.get(Keys.LOG_LEVEL));
    assertEquals(8000, c.get(Keys.METRICS_PORT));
    assertEquals("0.0.0.0", c.get(Keys.METRICS_BIND));
    assertEquals(MetricsMethod.PULL, c.get(Keys.METRICS_METHOD));
    assertEquals(Optional.of(URI.create("http://localhost:9093")), c.get(Keys.ALERT_URL));
    assertEquals(Optional.of(URI.create("http://localhost:9091")), c.get(Keys.PUSHGW_URL));
    assertEquals(Optional.empty(), c.get(Keys.PROM_URL));
    assertEquals("xrootdrestart", c.get(Keys.SSH_USER));
    assertEquals("xrootdrestartkey", c.get(Keys.PKEY_NAME));
    assertEquals("cmsd@cluster", c.get(Keys.CMSD_SVC));
    assertEquals("xrootd@cluster", c.get(Keys.XROOTD_SVC));
    assertEquals("xrootd_servers", c.get(Keys.INVENTORY_GROUP));
    assertEquals(Optional.empty(), c.get(Keys.LOG_FILE));
  }

  @Test
  void defaultPathsDependOnUserAndConfigDirectory() throws Exception {
    Config user = load(null, Map.of());
    assertEquals(dir.resolve(".local/state/xrootdrestart"), user.get(Keys.STATE_DIR));
    assertEquals(dir.resolve(".config/xrootdrestart"), user.get(Keys.PKEY_PATH));

    Config root =
        new ConfigLoader(new Platform(true, dir, dir, Map.of())).load(Optional.empty(), Map.of());
    assertEquals(Path.of("/var/lib/xrootdrestart"), root.get(Keys.STATE_DIR));
    assertEquals(Path.of("/etc/xrootdrestart"), root.get(Keys.PKEY_PATH));
    assertEquals("/etc/xrootdrestart/hosts.yml", root.get(Keys.INVENTORY));

    Path f = file("site/conf/x.yml", "cluster_id: a\n");
    Config withFile = load(f, Map.of());
    assertEquals(dir.resolve("site/conf"), withFile.get(Keys.PKEY_PATH));
    assertEquals(dir.resolve("site/conf/hosts.yml").toString(), withFile.get(Keys.INVENTORY));
  }

  @Test
  void relativePathsInTheFileAreRelativeToIt() throws Exception {
    Path f =
        file("site/x.yml", "state_dir: state\ninventory: ../inv/hosts.ini\nlog_file: logs/x.log\n");
    Config c = load(f, Map.of(Keys.PKEY_PATH, "keys"));
    assertEquals(dir.resolve("site/state"), c.get(Keys.STATE_DIR));
    assertEquals(dir.resolve("inv/hosts.ini").toString(), c.get(Keys.INVENTORY));
    assertEquals(Optional.of(dir.resolve("site/logs/x.log")), c.get(Keys.LOG_FILE));
    assertEquals(
        dir.resolve("keys"),
        c.get(Keys.PKEY_PATH),
        "command-line paths are relative to the working dir");
  }

  @Test
  void aCommaListInventoryIsKeptAsWritten() throws Exception {
    Config c = load(file("x.yml", "inventory: a.example.org,b.example.org\n"), Map.of());
    assertEquals("a.example.org,b.example.org", c.get(Keys.INVENTORY));
  }

  @Test
  void lookupOrderIsOptionThenVariableThenStandardFile() throws Exception {
    Path standard = file(".config/xrootdrestart/xrootdrestart.yml", "cluster_id: standard\n");
    Path fromEnv = file("env.yml", "cluster_id: env\n");
    Path explicit = file("explicit.yml", "cluster_id: explicit\n");
    assertEquals("standard", load(null, Map.of()).get(Keys.CLUSTER_ID));
    env.put("XROOTDRESTART_CONFIG", fromEnv.toString());
    assertEquals("env", load(null, Map.of()).get(Keys.CLUSTER_ID));
    assertEquals("explicit", load(explicit, Map.of()).get(Keys.CLUSTER_ID));
    assertTrue(Files.exists(standard));
  }

  @Test
  void aNamedConfigFileMustExist() {
    ConfigException e =
        assertThrows(ConfigException.class, () -> load(dir.resolve("nope.yml"), Map.of()));
    assertTrue(e.getMessage().contains("nope.yml not found"), e.getMessage());
    env.put("XROOTDRESTART_CONFIG", "gone.yml");
    e = assertThrows(ConfigException.class, () -> load(null, Map.of()));
    assertTrue(e.getMessage().startsWith("environment XROOTDRESTART_CONFIG: "), e.getMessage());
  }

  @Test
  void everyProblemIsReportedAtOnce() throws Exception {
    Path f = file("x.yml", "min_ok: -1\nmetrics_port: 0\ncmsd_wait: soon\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(f, Map.of()));
    assertEquals(3, e.problems().size(), e.getMessage());
  }

  @Test
  void durationsAcceptUnitsEverywhere() throws Exception {
    env.put("XROOTDRESTART_SERVICE_TIMEOUT", "2m");
    Config c =
        load(file("x.yml", "cmsd_period: 3d\ncmsd_wait: 1h30m\n"), Map.of(Keys.CMSD_WAIT, "90s"));
    assertEquals(Duration.ofDays(3), c.get(Keys.CMSD_PERIOD));
    assertEquals(Duration.ofSeconds(90), c.get(Keys.CMSD_WAIT));
    assertEquals(Duration.ofMinutes(2), c.get(Keys.SERVICE_TIMEOUT));
  }

  @Test
  void blankUrlTurnsTheFeatureOff() throws Exception {
    Config c =
        load(
            file(
                "x.yml",
                "alert_url:\npushgw_url: ''\nprom_url: http://prom.example.org:9090/prometheus\n"),
            Map.of());
    assertEquals(Optional.empty(), c.get(Keys.ALERT_URL));
    assertEquals(Optional.empty(), c.get(Keys.PUSHGW_URL));
    assertEquals(
        Optional.of(URI.create("http://prom.example.org:9090/prometheus")), c.get(Keys.PROM_URL));
  }

  @Test
  void everyKeyHasItsOwnVariableAndOption() {
    for (Key<?> key : Keys.all()) {
      assertTrue(key.environmentVariable().matches("XROOTDRESTART_[A-Z_]+"), key.name());
      assertTrue(key.option().matches("--[a-z-]+"), key.name());
      assertTrue(!key.description().isBlank(), key.name());
    }
  }
}
