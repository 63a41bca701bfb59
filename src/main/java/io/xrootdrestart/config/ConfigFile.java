package io.xrootdrestart.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the YAML config file into its top-level entries, each with the line it stands on. */
public final class ConfigFile {
  /** One top-level {@code key: value} of the file. */
  public record Entry(String key, JsonNode value, int line) {}

  private static final YAMLMapper MAPPER = new YAMLMapper();

  private ConfigFile() {}

  public static List<Entry> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw problem(file, 0, "config file not found");
    } catch (MalformedInputException e) {
      throw problem(file, 0, "config file is not UTF-8 text");
    } catch (IOException e) {
      throw problem(file, 0, "cannot read config file: " + e.getMessage());
    }
    return parse(file, text);
  }

  static List<Entry> parse(Path file, String text) {
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    String reading = ""; // the key whose value is being read, for a value YAML cannot read
    int readingLine = 0;
    try (JsonParser p = MAPPER.getFactory().createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null || t == JsonToken.VALUE_NULL) {
        throw problem(
            file,
            1,
            "config file is empty; write at least one key, e.g. \"cluster_id: production\"");
      }
      if (t != JsonToken.START_OBJECT) {
        throw problem(
            file,
            line(p.currentTokenLocation()),
            "the file must be a mapping of \"key: value\" lines, not a "
                + (t == JsonToken.START_ARRAY ? "list" : "single value"));
      }
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        int line = line(p.currentTokenLocation());
        reading = key;
        readingLine = line;
        p.nextToken();
        JsonNode value = MAPPER.readTree(p);
        Integer earlier = seen.putIfAbsent(key, line);
        if (earlier != null) {
          throw new ConfigException(
              new Problem(
                  Origin.file(file, line), key, "set twice (first on line " + earlier + ")"));
        }
        entries.add(new Entry(key, value, line));
      }
      if (p.nextToken() != null) {
        throw problem(file, line(p.currentTokenLocation()), "only one YAML document is allowed");
      }
    } catch (JsonProcessingException e) {
      int at = e.getLocation() == null ? 0 : line(e.getLocation());
      throw new ConfigException(
          new Problem(
              Origin.file(file, at),
              at == readingLine ? reading : "", // e.g. "alert_password_file: .inf"
              "YAML syntax error: " + yamlProblem(e.getOriginalMessage())));
    } catch (IOException e) {
      throw problem(file, 0, "cannot read config file: " + e.getMessage());
    }
    return entries;
  }

  /** SnakeYAML's message without its position and caret lines: "while parsing X: expected Y". */
  static String yamlProblem(String message) {
    return message
        .lines()
        .map(String::strip)
        .filter(
            l ->
                !l.isEmpty()
                    && !l.startsWith("in 'reader'")
                    && !l.equals("^")
                    && !l.startsWith("at [Source"))
        .filter(l -> !l.matches(".*line \\d+, column \\d+:?$"))
        .reduce((a, b) -> a + ": " + b)
        .orElse(message);
  }

  private static int line(JsonLocation location) {
    return Math.max(location.getLineNr(), 1);
  }

  private static ConfigException problem(Path file, int line, String message) {
    return new ConfigException(new Problem(Origin.file(file, line), "", message));
  }
}
