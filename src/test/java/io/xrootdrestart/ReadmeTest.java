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
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the one {@link Keys} gives: every key, in order, with its
 * variable, its default and what it means, and nothing that does not exist. When they differ, the
 * failure prints the table to paste into the README (edit the text in Keys.java, not in the
 * README).
 */
class ReadmeTest {
  static final String HEADER = "| key | default | environment variable | meaning |";

  /** The configuration table, from {@link Keys}. */
  static List<String> configurationTable() {
    Defaults defaults = new Defaults(true, Path.of("/root"), Path.of("/etc/xrootdrestart"));
    List<String> table = new ArrayList<>(List.of(HEADER, "|---|---|---|---|"));
    for (Key<?> key : Keys.all()) {
      table.add(
          "| `"
              + key.name()
              + "` | "
              + key.defaultDoc(defaults)
              + " | `"
              + key.environmentVariable()
              + "` | "
              + key.doc()
              + " |");
    }
    return table;
  }

  @Test
  void configurationTableIsGeneratedFromTheKeys() throws Exception {
    List<String> readme = Files.readAllLines(Path.of("README.md"));
    int start = readme.indexOf(HEADER);
    assertTrue(
        start >= 0 && readme.indexOf(HEADER) == readme.lastIndexOf(HEADER),
        "README.md has one line " + HEADER);
    int end = start;
    while (end < readme.size() && readme.get(end).startsWith("|")) {
      end++;
    }
    List<String> expected = configurationTable();
    assertEquals(
        String.join("\n", expected),
        String.join("\n", readme.subList(start, end)),
        "README.md's configuration table is not the one"
            + " src/main/java/io/xrootdrestart/config/Keys.java gives. Replace lines "
            + (start + 1)
            + "-"
            + end
            + " of README.md with these "
            + expected.size()
            + " lines:\n\n"
            + String.join("\n", expected)
            + "\n\n");
  }
}
