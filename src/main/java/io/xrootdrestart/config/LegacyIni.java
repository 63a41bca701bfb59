package io.xrootdrestart.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the predecessor's INI file the way Python's configparser does: {@code [section]} headers,
 * {@code key = value} or {@code key: value}, keys case-insensitive, {@code #} and {@code ;} comment
 * lines, indented continuation lines.
 */
public final class LegacyIni {
  /** One {@code key = value}, with its section and the line the key stands on. */
  public record Entry(String section, String key, String value, int line) {}

  private LegacyIni() {}

  public static List<Entry> read(Path file) {
    try {
      return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new ConfigException(new Problem(Origin.file(file, 0), "", "file not found"));
    } catch (IOException e) {
      throw new ConfigException(
          new Problem(Origin.file(file, 0), "", "cannot read: " + e.getMessage()));
    }
  }

  static List<Entry> parse(Path file, List<String> lines) {
    List<Entry> entries = new ArrayList<>();
    String section = null;
    StringBuilder value = null;
    String key = null;
    int keyLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String stripped = line.strip();
      boolean continuation = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
      if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
        continue;
      }
      if (continuation && key != null) {
        value.append('\n').append(stripped);
        continue;
      }
      if (key != null) {
        entries.add(new Entry(section, key, value.toString(), keyLine));
        key = null;
      }
      if (stripped.startsWith("[")) {
        if (!stripped.endsWith("]")) {
          throw problem(file, i + 1, "section header without ']': " + stripped);
        }
        section = stripped.substring(1, stripped.length() - 1).strip();
        continue;
      }
      int eq = firstDelimiter(stripped);
      if (eq <= 0) {
        throw problem(file, i + 1, "expected \"key = value\", got: " + stripped);
      }
      if (section == null) {
        throw problem(
            file,
            i + 1,
            "\"" + stripped + "\" stands before any section; the settings belong under [general]");
      }
      key = stripped.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      value = new StringBuilder(stripped.substring(eq + 1).strip());
      keyLine = i + 1;
    }
    if (key != null) {
      entries.add(new Entry(section, key, value.toString(), keyLine));
    }
    return entries;
  }

  private static int firstDelimiter(String s) {
    int eq = s.indexOf('=');
    int colon = s.indexOf(':');
    if (eq < 0) {
      return colon;
    }
    return colon < 0 ? eq : Math.min(eq, colon);
  }

  private static ConfigException problem(Path file, int line, String message) {
    return new ConfigException(new Problem(Origin.file(file, line), "", message));
  }
}
