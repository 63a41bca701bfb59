package io.xrootdrestart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/** The README documents every key, with its variable and default, and nothing that does not exist. */
class ReadmeTest {
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| (.*?) \\| `([A-Z_]+)` \\| (.+) \\|$");

  @Test
  void configurationTableMatchesTheKeys() throws Exception {
    List<String> documented = new ArrayList<>();
    Defaults defaults = new Defaults(true, Path.of("/root"), Path.of("/etc/xrootdrestart"));
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher m = ROW.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Key<?> key = Keys.byName(m.group(1)).orElseThrow(() -> new AssertionError("README documents unknown key " + m.group(1)));
      documented.add(key.name());
      assertEquals(key.environmentVariable(), m.group(3), key.name());
      String def = key.defaultText(defaults);
      if (def.isEmpty()) {
        assertTrue(m.group(2).startsWith("blank"), key.name() + " default should read blank: " + m.group(2));
      } else if (!def.startsWith("/")) {
        assertTrue(m.group(2).startsWith("`" + def + "`"), key.name() + ": README default " + m.group(2) + " is not " + def);
      }
    }
    assertEquals(Keys.all().stream().map(Key::name).toList(), documented, "README lists every key, in order");
  }
}
