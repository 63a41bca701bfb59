package io.xrootdrestart.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xrootdrestart.config.Defaults;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The commented config template that setup.yml writes lists every key of the daemon, in order, each with
 * the daemon's default (computed defaults are filled in by the template for the file being written).
 */
class ConfigTemplateTest {
  private static final Path TEMPLATE = Path.of("roles/xrootdrestart_controller/templates/xrootdrestart.yml.j2");
  private static final Pattern KEY_LINE = Pattern.compile("^# ([a-z_]+): (.*)$");

  @Test
  void everyKeyWithItsDefault() throws Exception {
    Defaults defaults = new Defaults(true, Path.of("/root"), Path.of("/etc/xrootdrestart"));
    List<String> listed = new ArrayList<>();
    for (String line : Files.readAllLines(TEMPLATE)) {
      Matcher m = KEY_LINE.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Key<?> key = Keys.byName(m.group(1)).orElseThrow(() -> new AssertionError("template lists unknown key " + line));
      listed.add(key.name());
      String def = key.defaultText(defaults);
      String value = m.group(2).replaceAll("\\s+#.*$", "");
      if (value.contains("{{")) {
        continue; // computed for the file being written: pkey_path, inventory, state_dir
      }
      assertEquals(def.isEmpty() ? "\"\"" : def, value, key.name());
    }
    assertEquals(Keys.all().stream().map(Key::name).toList(), listed, "the template lists every key, in order");
  }
}
