package io.xrootdrestart.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigException;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.ConfigTemplate;
import io.xrootdrestart.config.Defaults;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Origin;
import io.xrootdrestart.config.Platform;
import io.xrootdrestart.config.Setting;
import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commented config file that setup.yml writes where there is none ({@code xrootdrestart
 * config-template}): every key of the daemon, in order, with the daemon's default for the file
 * being written, and nothing that reads as a key but is not one; and {@code xrootdrestart
 * settings}, which setup.yml reads the config with.
 */
class ConfigTemplateTest {
  private static final Path ETC_FILE = Path.of("/etc/xrootdrestart/xrootdrestart.yml");
  private static final Defaults ROOT =
      new Defaults(true, Path.of("/root"), Path.of("/etc/xrootdrestart"));
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Map<Key<?>, JsonNode> settings(String json) {
    return ConfigTemplate.settings(json, Origin.commandLine("--settings"));
  }

  @Test
  void everyKeyInOrderWithTheDaemonsDefaultForTheFile() {
    String text = ConfigTemplate.render(ETC_FILE, ROOT, Map.of());
    List<String> listed = new ArrayList<>();
    for (String line : text.split("\n")) {
      assertFalse(line.matches("^[a-z_]+:.*"), "the template sets no key: " + line);
      Matcher m = ConfigTemplate.KEY_LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Key<?> key =
          Keys.byName(m.group(1))
              .orElseThrow(() -> new AssertionError("a line reads as a key but is none: " + line));
      listed.add(key.name());
      String def = key.defaultText(ROOT);
      assertEquals("# " + key.name() + ": " + (def.isEmpty() ? "\"\"" : def), line, key.name());
    }
    assertEquals(
        Keys.all().stream().map(Key::name).toList(),
        listed,
        "the template lists every key, in order");
    assertTrue(
        text.contains("\n# pkey_path: /etc/xrootdrestart\n")
            && text.contains("\n# inventory: /etc/xrootdrestart/hosts.yml\n")
            && text.contains("\n# state_dir: /var/lib/xrootdrestart\n"),
        "computed for the file and the user:\n" + text);
    assertTrue(
        text.contains(
            "# Check it with:  xrootdrestart check --config"
                + " /etc/xrootdrestart/xrootdrestart.yml\n"),
        text);
  }

  @Test
  void uncommentedItGivesTheDaemonsDefaults() throws Exception {
    Path file = dir.resolve("xrootdrestart.yml");
    String text = ConfigTemplate.render(file, new Defaults(false, dir, dir), Map.of());
    Files.writeString(file, text.replaceAll("(?m)^# ([a-z_]+): ", "$1: "));
    Platform platform = new Platform(false, dir, dir, Map.of());
    Config uncommented = new ConfigLoader(platform).load(Optional.of(file), Map.of());
    Config defaults = new ConfigLoader(platform).load(Optional.empty(), Map.of());
    for (Setting<?> s : uncommented.settings()) {
      assertTrue(s.origin().kind() == Origin.Kind.FILE, s.key().name());
      String expected =
          s.key() == Keys.PKEY_PATH || s.key() == Keys.INVENTORY
              ? s.key().defaultText(new Defaults(false, dir, dir))
              : defaults.setting(s.key()).text();
      assertEquals(expected, s.text(), s.key().name());
    }
  }

  @Test
  void theSettingsAreWrittenWithTheirValuesAndTheDaemonReadsThem() throws Exception {
    Path file = dir.resolve("xrootdrestart.yml");
    Map<Key<?>, JsonNode> given =
        settings(
            "{\"cluster_id\": \"atlas\", \"metrics_port\": 9123, \"service_timeout\": \"1m30s\","
                + " \"alert_url\": \"\", \"escalate_reboot\": true}");
    String text = ConfigTemplate.render(file, new Defaults(false, dir, dir), given);
    for (String line :
        List.of(
            "cluster_id: \"atlas\"",
            "metrics_port: 9123",
            "service_timeout: \"1m30s\"",
            "alert_url: \"\"",
            "escalate_reboot: true",
            "# cmsd_wait: 300")) {
      assertTrue(text.contains("\n" + line + "\n"), line + " in\n" + text);
    }
    assertEquals(5, text.lines().filter(l -> l.matches("^[a-z_]+: .*")).count(), text);
    Files.writeString(file, text);
    Config config =
        new ConfigLoader(new Platform(false, dir, dir, Map.of())).load(Optional.of(file), Map.of());
    assertEquals("atlas", config.get(Keys.CLUSTER_ID));
    assertEquals(9123, config.get(Keys.METRICS_PORT));
    assertEquals(java.time.Duration.ofSeconds(90), config.get(Keys.SERVICE_TIMEOUT));
    assertEquals(Optional.empty(), config.get(Keys.ALERT_URL));
    assertTrue(config.get(Keys.ESCALATE_REBOOT));
  }

  @Test
  void withoutSettingsTheDaemonRefusesTheFileUntilAKeyIsSet() throws Exception {
    Path file = dir.resolve("xrootdrestart.yml");
    Files.writeString(file, ConfigTemplate.render(file, new Defaults(false, dir, dir), Map.of()));
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                new ConfigLoader(new Platform(false, dir, dir, Map.of()))
                    .load(Optional.of(file), Map.of()));
    assertTrue(e.getMessage().contains(file + ":1: config file is empty"), e.getMessage());
  }

  @Test
  void badSettingsAreRefusedAllAtOnceWithSuggestions() {
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> settings("{\"cmsd_wiat\": 5, \"min_ok\": [1], \"cluster_id\": \"ok\"}"));
    assertEquals(
        List.of(
            "command line --settings: cmsd_wiat: unknown key (did you mean cmsd_wait?)",
            "command line --settings: min_ok: expected a string, a number or true/false, got [1]"),
        List.of(e.getMessage().split("\n")));
    assertTrue(
        assertThrows(ConfigException.class, () -> settings("\"atlas\""))
            .getMessage()
            .contains("expected a JSON object"));
    assertEquals(Map.of(), settings(""));
  }

  @Test
  void differingComparesValuesAsTheDaemonReadsThem() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("x.yml"), "cluster_id: atlas\nconnect_timeout: 5\nstate_dir: state\n");
    assertEquals(
        List.of("cluster_id", "min_ok"),
        ConfigTemplate.differing(
            file,
            settings(
                "{\"cluster_id\": \"cms\", \"connect_timeout\": \"5s\", \"state_dir\": \""
                    + dir.resolve("state")
                    + "\", \"min_ok\": 2}")));
    assertEquals(
        List.of(),
        ConfigTemplate.differing(
            Files.writeString(dir.resolve("bad.yml"), "a: [\n"), settings("{\"min_ok\": 2}")));
  }

  @Test
  @UsesTools // settings --servers runs ansible-inventory
  void theCommandsGiveSetupWhatItNeeds() throws Exception {
    Path file = dir.resolve("etc/xrootdrestart.yml");
    Cli cli = new Cli(dir);
    Cli.Result r =
        cli.run(
            "config-template",
            "--json",
            "--config",
            file.toString(),
            "--settings",
            "{\"cluster_id\": \"t2\"}");
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode answer = JSON.readTree(r.out());
    assertEquals(file.toString(), answer.get("config_file").asText());
    assertFalse(answer.get("exists").asBoolean());
    assertTrue(answer.get("text").asText().contains("\ncluster_id: \"t2\"\n"), r.out());
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, answer.get("text").asText() + "state_dir: state\nservice_timeout: 1m30s\n");

    r =
        cli.run(
            "config-template",
            "--json",
            "--config",
            file.toString(),
            "--settings",
            "{\"cluster_id\": \"cms\"}");
    answer = JSON.readTree(r.out());
    assertTrue(answer.get("exists").asBoolean(), r.out());
    assertEquals("[\"cluster_id\"]", answer.get("differs").toString());

    r = cli.run("settings", "--config", file.toString());
    assertEquals(0, r.exitCode(), r.toString());
    JsonNode settings = JSON.readTree(r.out()).get("settings");
    assertEquals(
        file.getParent().resolve("state").toString(),
        settings.get("state_dir").get("value").asText());
    assertEquals(
        file + ":" + (answer.get("text").asText().lines().count() + 1),
        settings.get("state_dir").get("origin").asText());
    assertEquals(90.0, settings.get("service_timeout").get("seconds").asDouble());
    assertEquals("default", settings.get("ssh_user").get("origin").asText());
    assertFalse(JSON.readTree(r.out()).has("servers"), "the inventory is read only with --servers");

    r =
        cli.run(
            "settings",
            "--config",
            file.toString(),
            "--servers",
            "--inventory",
            "a.example.org,b.example.org");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(
        List.of("a.example.org", "b.example.org"),
        JSON.readTree(r.out()).get("servers").findValuesAsText("name"));

    Files.writeString(file, "min_ok: many\n");
    r = cli.run("settings", "--config", file.toString());
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(
        r.err().contains("error: " + file + ":1: min_ok: expected a whole number"), r.toString());
    r = cli.run("config-template", "--settings", "{\"pkey_nmae\": \"k\"}");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("pkey_nmae: unknown key (did you mean pkey_name?)"), r.toString());
  }
}
