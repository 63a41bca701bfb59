package io.xrootdrestart.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * {@code state_dir/controls.json}: the admin's pause and exclusions. Only the {@code pause}, {@code
 * resume}, {@code exclude} and {@code include} commands write it (under a lock of its own,
 * atomically), and the daemon only reads it, so a running daemon never overwrites what an admin
 * just said; it is kept apart from {@code state.json} for that reason.
 */
public final class ControlsStore {
  static final String FILE = "controls.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  public ControlsStore(Path stateDir) {
    this.dir = stateDir;
  }

  public Path file() {
    return dir.resolve(FILE);
  }

  public Controls load() {
    Optional<JsonNode> read = JsonFile.read(file(), why -> corrupt(why, null));
    if (read.isEmpty()) {
      return Controls.NONE;
    }
    JsonNode root = read.get();
    try {
      Optional<Controls.Pause> pause = Optional.empty();
      JsonNode p = root.path("paused");
      if (p.isObject()) {
        pause = Optional.of(new Controls.Pause(p.path("reason").asText(""), required(p, "since")));
      }
      Map<String, Controls.Exclusion> excluded = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("excluded").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode x = e.getValue();
        excluded.put(
            e.getKey(),
            new Controls.Exclusion(
                required(x, "since"), instant(x, "until"), x.path("reason").asText("")));
      }
      return new Controls(pause, excluded);
    } catch (DateTimeParseException e) {
      throw corrupt(e.getMessage(), e);
    }
  }

  /**
   * Reads, changes and writes the controls under a lock, so two admins' commands cannot lose one
   * another.
   */
  public Controls update(UnaryOperator<Controls> change) {
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve("controls.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        Controls next = change.apply(load());
        save(next);
        return next;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file(), e);
    }
  }

  private void save(Controls c) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", JsonFile.FORMAT);
    c.pause()
        .ifPresentOrElse(
            p -> {
              ObjectNode o = root.putObject("paused");
              o.put("reason", p.reason());
              o.put("since", p.since().toString());
            },
            () -> root.putNull("paused"));
    ObjectNode ex = root.putObject("excluded");
    c.excluded().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              ObjectNode o = ex.putObject(e.getKey());
              o.put("since", e.getValue().since().toString());
              o.put("until", e.getValue().until().map(Instant::toString).orElse(null));
              o.put("reason", e.getValue().reason());
            });
    try {
      AtomicFile.write(file(), JSON.writeValueAsBytes(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Instant required(JsonNode node, String field) {
    return instant(node, field).orElseThrow(() -> corrupt(field + " is missing", null));
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(JsonFile.instant(v.asText()));
  }

  private StateException corrupt(String why, Throwable cause) {
    return new StateException(
        "controls file "
            + file()
            + " cannot be read ("
            + why
            + "); fix it, or remove it"
            + " to resume the rotation with no server excluded",
        cause);
  }
}
