package io.xrootdrestart.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The commented config file that {@code playbooks/setup.yml} writes where there is none: every key
 * of {@link Keys}, in order, as a line {@code # key: default} (the default computed for the file
 * being written) under what the key means; the keys given as settings written uncommented, with
 * their values. No comment line looks like a key line ({@link #KEY_LINE}).
 */
public final class ConfigTemplate {
  /**
   * A line that sets a key ({@code key: value}) or shows it commented out ({@code # key: default}).
   */
  public static final Pattern KEY_LINE = Pattern.compile("^(?:# )?([a-z_]+):(?: .*)?$");

  private static final int WIDTH = 110;
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./~+-][A-Za-z0-9_./~@:+-]*");
  private static final Pattern KEY_WORD = Pattern.compile("[a-z_]+:");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Headings, each before the first key of its part of the file. */
  private static final Map<Key<?>, String> SECTIONS =
      Map.of(
          Keys.CLUSTER_ID, "The cluster and the schedule",
          Keys.LOG_LEVEL, "Logging",
          Keys.METRICS_PORT, "Metrics and alerts",
          Keys.SSH_USER, "The servers",
          Keys.STATE_DIR, "State",
          Keys.WINDOW_DAYS, "Maintenance window and holds");

  private ConfigTemplate() {}

  /** The file's text for a config file at {@code file}, with {@code settings} set. */
  public static String render(Path file, Defaults defaults, Map<Key<?>, JsonNode> settings) {
    StringBuilder out = new StringBuilder();
    out.append("# xrootdrestart configuration (")
        .append(file)
        .append(")\n")
        .append("#\n")
        .append(
            "# Every key the daemon knows is listed below, commented out, with its default;"
                + " uncomment a line to\n")
        .append("# change it. The daemon refuses a file that sets no key. Set at least:\n")
        .append(
            "#   cluster_id, inventory (the Ansible inventory of the XRootD servers),"
                + " inventory_group, min_ok,\n")
        .append(
            "#   alert_url and pushgw_url (set them to \"\" where there is no Alertmanager or"
                + " Pushgateway).\n")
        .append(
            "# Durations: whole seconds (300) or with units ms, s, m, h, d, w (5m, 1h30m). Relative"
                + " paths are\n")
        .append(
            "# relative to this file's directory. Every key can also be set by an environment"
                + " variable\n")
        .append(
            "# (XROOTDRESTART_<KEY>) and a command-line option (--<key-with-dashes>), which win"
                + " over this file.\n")
        .append("# Check it with:  xrootdrestart check --config ")
        .append(file)
        .append("\n")
        .append(
            "# After changing state_dir, log_file, service_timeout, connect_timeout or"
                + " metrics_port, run setup.yml\n")
        .append("# again, so that the systemd unit (or the podman line) follows them.\n")
        .append(
            "# Written by xrootdrestart config-template; playbooks/setup.yml writes it where there"
                + " is no config file.\n");
    for (Key<?> key : Keys.all()) {
      String section = SECTIONS.get(key);
      if (section != null) {
        out.append("\n# --- ").append(section).append("\n");
      }
      out.append("\n");
      String fixed = key.defaultText(defaults);
      String stated = key.defaultDoc(defaults);
      String note =
          stated.equals(fixed.isEmpty() ? "blank" : "`" + fixed + "`")
              ? ""
              : " Default: " + stated + ".";
      for (String line : comment(Key.plain(key.doc() + note))) {
        out.append(line).append("\n");
      }
      JsonNode value = settings.get(key);
      if (value != null) {
        out.append(key.name()).append(": ").append(json(value)).append("\n");
      } else {
        out.append("# ")
            .append(key.name())
            .append(": ")
            .append(yaml(key.defaultText(defaults)))
            .append("\n");
      }
    }
    return out.toString();
  }

  /**
   * The settings for a new file, from a JSON object of keys to strings, numbers or booleans ("" or
   * blank: none). Every problem is reported at once, each naming {@code origin} and the key.
   */
  public static Map<Key<?>, JsonNode> settings(String json, Origin origin) {
    Map<Key<?>, JsonNode> settings = new LinkedHashMap<>();
    if (json == null || json.isBlank()) {
      return settings;
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ConfigException(new Problem(origin, "", "not JSON: " + e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigException(
          new Problem(
              origin,
              "",
              "expected a JSON object of config keys to values, such as"
                  + " {\"cluster_id\": \"atlas\", \"min_ok\": 2}, got "
                  + root));
    }
    List<String> names = Keys.all().stream().map(Key::name).toList();
    List<Problem> problems = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Optional<Key<?>> key = Keys.byName(e.getKey());
      JsonNode value = e.getValue();
      if (key.isEmpty()) {
        problems.add(
            new Problem(
                origin, e.getKey(), "unknown key" + Suggestions.didYouMean(e.getKey(), names)));
      } else if (!(value.isTextual() || value.isNumber() || value.isBoolean())) {
        problems.add(
            new Problem(
                origin, e.getKey(), "expected a string, a number or true/false, got " + value));
      } else {
        settings.put(key.get(), value);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return settings;
  }

  /**
   * The names of the settings that the existing config file {@code file} does not have: missing
   * there, or with another value (compared as the daemon reads them: {@code 5} and {@code 5s} are
   * the same). Empty when the file cannot be read (the daemon's own check then says why).
   */
  public static List<String> differing(Path file, Map<Key<?>, JsonNode> settings) {
    List<ConfigFile.Entry> entries;
    try {
      entries = ConfigFile.read(file);
    } catch (ConfigException e) {
      return List.of();
    }
    Path base = file.toAbsolutePath().getParent();
    List<String> differing = new ArrayList<>();
    settings.forEach(
        (key, value) -> {
          Optional<ConfigFile.Entry> entry =
              entries.stream().filter(e -> e.key().equals(key.name())).findFirst();
          if (entry.isEmpty()
              || !canonical(key, entry.get().value(), base).equals(canonical(key, value, base))) {
            differing.add(key.name());
          }
        });
    return differing;
  }

  private static String canonical(Key<?> key, JsonNode value, Path base) {
    try {
      return "=" + key.format(key.parser().parse(value, base));
    } catch (InvalidValueException e) {
      return "?" + value.asText();
    }
  }

  /**
   * A default as a YAML value: as it is where it reads back the same, else quoted; "" for blank.
   */
  private static String yaml(String text) {
    return PLAIN.matcher(text).matches() ? text : json(JSON.getNodeFactory().textNode(text));
  }

  private static String json(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code text} as comment lines of at most {@link #WIDTH} characters; a line never starts with a
   * word such as {@code blank:}, which would read as a key.
   */
  static List<String> comment(String text) {
    List<List<String>> lines = new ArrayList<>();
    List<String> line = new ArrayList<>();
    int length = 1;
    for (String word : text.strip().split("\\s+")) {
      if (!line.isEmpty() && length + 1 + word.length() > WIDTH) {
        lines.add(line);
        line = new ArrayList<>();
        length = 1;
      }
      line.add(word);
      length += 1 + word.length();
    }
    lines.add(line);
    for (int i = 1; i < lines.size(); i++) {
      while (KEY_WORD.matcher(lines.get(i).get(0)).matches() && lines.get(i - 1).size() > 1) {
        List<String> previous = lines.get(i - 1);
        lines.get(i).add(0, previous.remove(previous.size() - 1));
      }
    }
    return lines.stream().map(words -> "# " + String.join(" ", words)).toList();
  }
}
