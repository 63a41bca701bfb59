package io.xrootdrestart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The fenced code blocks of the README, for tests that run or compare them. */
public record ReadmeExamples(List<Block> blocks) {
  /** One fenced block: its language (after the backticks) and its lines. */
  public record Block(String language, List<String> lines) {
    public String text() {
      return String.join("\n", lines) + "\n";
    }
  }

  public static ReadmeExamples read() {
    try {
      List<Block> blocks = new ArrayList<>();
      List<String> current = null;
      String language = "";
      for (String line : Files.readAllLines(Path.of("README.md"))) {
        String t = line.strip();
        if (t.startsWith("```")) {
          if (current == null) {
            current = new ArrayList<>();
            language = t.substring(3);
          } else {
            blocks.add(new Block(language, current));
            current = null;
          }
        } else if (current != null) {
          current.add(t);
        }
      }
      return new ReadmeExamples(blocks);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every shell command of the sh blocks (comment and blank lines left out). */
  public List<String> commands() {
    return blocks.stream()
        .filter(b -> b.language().equals("sh"))
        .flatMap(b -> b.lines().stream())
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  /** The one command that starts with {@code prefix}. */
  public String command(String prefix) {
    List<String> found = commands().stream().filter(c -> c.startsWith(prefix)).toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "README: expected one command starting with \"" + prefix + "\", found " + found);
    }
    return found.get(0);
  }
}
