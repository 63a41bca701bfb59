package io.xrootdrestart.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.config.Defaults;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Suggestions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The node role's inputs are named after the daemon's config keys and default to the daemon's
 * defaults (setup.yml passes every one as the daemon resolved it; the defaults matter where the
 * role is used alone). Every name must be a key: a misspelt one is an error, never skipped.
 */
class SetupDefaultsTest {
  private static final String PREFIX = "xrootdrestart_node_";
  private static final Path ROLE = Path.of("roles/xrootdrestart_node");
  private static final Defaults ROOT =
      new Defaults(true, Path.of("/root"), Path.of("/etc/xrootdrestart"));
  private static final Defaults USER = new Defaults(false, Path.of("/home/u"), Path.of("/srv/x"));

  private static Map<String, JsonNode> fields(JsonNode node) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      fields.put(e.getKey(), e.getValue());
    }
    return fields;
  }

  private static Map<String, JsonNode> roleDefaults() throws IOException {
    return fields(new YAMLMapper().readTree(ROLE.resolve("defaults/main.yml").toFile()));
  }

  /** The key a role variable is named after, or the failure that names the misspelling. */
  private static Key<?> keyOf(String variable, String where) {
    assertTrue(
        variable.startsWith(PREFIX), where + ": " + variable + " does not start with " + PREFIX);
    String name = variable.substring(PREFIX.length());
    return Keys.byName(name)
        .orElseGet(
            () ->
                fail(
                    where
                        + ": "
                        + variable
                        + " is not named after a config key"
                        + Suggestions.didYouMean(name, Keys.all().stream().map(Key::name).toList())
                        + " (role inputs are xrootdrestart_node_ + the key, see"
                        + " src/main/java/io/xrootdrestart/config/Keys.java)"));
  }

  private static void assertDaemonDefault(Key<?> key, String role, String where) {
    boolean computed = !key.defaultText(ROOT).equals(key.defaultText(USER));
    if (computed) {
      assertEquals(
          "",
          role,
          where
              + ": "
              + key.name()
              + " has a computed default ("
              + key.defaultDoc(ROOT)
              + "): leave it blank, the daemon computes it");
    } else {
      assertEquals(
          key.defaultText(ROOT),
          role,
          where + ": the default of " + key.name() + " is not the daemon's");
    }
  }

  @Test
  void theRoleDefaultsAreTheDaemonDefaults() throws Exception {
    Map<String, JsonNode> defaults = roleDefaults();
    for (Map.Entry<String, JsonNode> e : defaults.entrySet()) {
      assertDaemonDefault(
          keyOf(e.getKey(), "defaults/main.yml"), e.getValue().asText(), "defaults/main.yml");
    }
    assertTrue(defaults.size() >= 7, "compared " + defaults.size() + " defaults");
  }

  @Test
  void theArgumentSpecsAreTheDefaults() throws Exception {
    JsonNode options =
        new YAMLMapper()
            .readTree(ROLE.resolve("meta/argument_specs.yml").toFile())
            .path("argument_specs")
            .path("main")
            .path("options");
    Map<String, JsonNode> specs = fields(options);
    assertEquals(
        new TreeSet<>(roleDefaults().keySet()),
        new TreeSet<>(specs.keySet()),
        "meta/argument_specs.yml documents exactly the variables of defaults/main.yml");
    for (Map.Entry<String, JsonNode> e : specs.entrySet()) {
      assertDaemonDefault(
          keyOf(e.getKey(), "meta/argument_specs.yml"),
          e.getValue().path("default").asText(),
          "meta/argument_specs.yml");
    }
  }

  @Test
  void theRoleUsesOnlyVariablesItHas() throws Exception {
    Pattern use = Pattern.compile("\\b(" + PREFIX + "[a-z_]+)\\b");
    Pattern defined =
        Pattern.compile("(?m)^\\s*(?:register:\\s*)?(" + PREFIX + "[a-z_]+)(?::|\\s*$)");
    Set<String> known = new TreeSet<>(roleDefaults().keySet());
    List<Path> files = new ArrayList<>();
    for (String part : List.of("tasks", "templates", "vars")) {
      try (Stream<Path> s = Files.list(ROLE.resolve(part))) {
        s.forEach(files::add);
      }
    }
    for (Path f : files) { // vars, set_fact keys and registered results
      Matcher m = defined.matcher(Files.readString(f));
      while (m.find()) {
        known.add(m.group(1));
      }
    }
    Set<String> unknown = new TreeSet<>();
    for (Path f : files) {
      Matcher m = use.matcher(Files.readString(f));
      while (m.find()) {
        if (!known.contains(m.group(1))) {
          unknown.add(f + ": " + m.group(1));
        }
      }
    }
    assertEquals(Set.of(), unknown, "variables used but never set (misspelt?)");
  }
}
