package io.xrootdrestart.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code state_dir/state.json}, written atomically ({@link AtomicFile}): a crash leaves either the
 * old or the new state, never a torn one.
 */
public final class StateStore {
  static final String FILE = "state.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;
  private final String name;

  /** A rotation's servers, whose records its file takes from state.json before it exists. */
  private final Optional<List<String>> share;

  public StateStore(Path stateDir) {
    this(stateDir, FILE, Optional.empty());
  }

  private StateStore(Path stateDir, String name, Optional<List<String>> share) {
    this.dir = stateDir;
    this.name = name;
    this.share = share;
  }

  /**
   * The state of each rotation, by name: {@code state.json} when there is only one (a flat group:
   * nothing changes), else {@code state-ROTATION.json} beside it, which starts from the rotation's
   * share of {@code state.json} (a site that splits its group into rotations keeps its history and
   * the restart in flight).
   */
  public static Map<String, StateStore> forRotations(
      Path stateDir, Map<String, List<String>> servers) {
    Map<String, StateStore> stores = new LinkedHashMap<>();
    servers.forEach(
        (rotation, names) ->
            stores.put(
                rotation,
                servers.size() == 1
                    ? new StateStore(stateDir)
                    : new StateStore(
                        stateDir,
                        "state-" + rotation.replaceAll("[^A-Za-z0-9_.-]", "_") + ".json",
                        Optional.of(List.copyOf(names)))));
    return stores;
  }

  /**
   * Once every rotation has a file of its own (written here from its share if it has none yet),
   * moves {@code state.json} aside to {@code state.json.before-rotations}, so that it is not taken
   * up again.
   */
  public static void split(Path stateDir, java.util.Collection<StateStore> rotations) {
    StateStore single = new StateStore(stateDir);
    if (rotations.stream().anyMatch(r -> r.share.isEmpty()) || !Files.exists(single.file())) {
      return;
    }
    for (StateStore r : rotations) {
      if (!Files.exists(r.file())) {
        r.save(r.load());
      }
    }
    try {
      Files.move(
          single.file(),
          stateDir.resolve(FILE + ".before-rotations"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new StateException("cannot move " + single.file() + " aside: " + e.getMessage(), e);
    }
  }

  public Path file() {
    return dir.resolve(name);
  }

  /** The admin's pause and exclusions, kept beside the state in a file the daemon never writes. */
  public ControlsStore controls() {
    return new ControlsStore(dir);
  }

  public DaemonState load() {
    Optional<JsonNode> read = JsonFile.read(file(), why -> corrupt(why, null));
    if (read.isEmpty()) {
      return share.isPresent() ? new StateStore(dir).load().only(share.get()) : DaemonState.EMPTY;
    }
    JsonNode root = read.get();
    try {
      Map<String, ServerRecord> servers = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.path("servers").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode s = e.getValue();
        servers.put(
            e.getKey(),
            new ServerRecord(
                instant(s, "last_attempt"),
                instant(s, "last_success"),
                s.path("outcome").asText(""),
                s.path("message").asText(""),
                s.path("needs_restore").asBoolean(false),
                instants(s, "out_of_turn")));
      }
      Optional<InFlight> flight = Optional.empty();
      JsonNode f = root.path("in_flight");
      if (f.isObject()) {
        flight =
            Optional.of(
                new InFlight(
                    f.path("server").asText(),
                    f.path("phase").asText(),
                    instant(f, "since").orElseThrow(() -> corrupt("in_flight has no time", null))));
      }
      Map<String, String> silences = new java.util.LinkedHashMap<>();
      JsonNode sl = root.path("silences");
      if (!sl.isMissingNode() && !sl.isObject()) {
        throw corrupt("silences is not a mapping of silence ids to servers", null);
      }
      sl.fields().forEachRemaining(e -> silences.put(e.getKey(), e.getValue().asText()));
      return new DaemonState(instant(root, "last_slot"), servers, flight, silences);
    } catch (DateTimeParseException e) {
      throw corrupt(e.getMessage(), e);
    }
  }

  private static List<Instant> instants(JsonNode node, String field) {
    List<Instant> all = new ArrayList<>();
    for (JsonNode t : node.path(field)) {
      all.add(JsonFile.instant(t.asText()));
    }
    return all;
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(JsonFile.instant(v.asText()));
  }

  private StateException corrupt(String why, Throwable cause) {
    return new StateException(
        "state file "
            + file()
            + " cannot be read ("
            + why
            + "); fix it or move it away"
            + " to start with no history (the rotation then starts again with the first server)",
        cause);
  }

  public void save(DaemonState state) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", JsonFile.FORMAT);
    root.put("last_slot", state.lastSlot().map(Instant::toString).orElse(null));
    ObjectNode servers = root.putObject("servers");
    state.servers().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              ObjectNode s = servers.putObject(e.getKey());
              ServerRecord r = e.getValue();
              s.put("last_attempt", r.lastAttempt().map(Instant::toString).orElse(null));
              s.put("last_success", r.lastSuccess().map(Instant::toString).orElse(null));
              s.put("outcome", r.outcome());
              s.put("message", r.message());
              s.put("needs_restore", r.needsRestore());
              var times = s.putArray("out_of_turn");
              r.outOfTurn().forEach(t -> times.add(t.toString()));
            });
    state
        .inFlight()
        .ifPresentOrElse(
            f -> {
              ObjectNode o = root.putObject("in_flight");
              o.put("server", f.server());
              o.put("phase", f.phase());
              o.put("since", f.since().toString());
            },
            () -> root.putNull("in_flight"));
    ObjectNode silences = root.putObject("silences");
    state.silences().forEach(silences::put);
    try {
      AtomicFile.write(file(), JSON.writeValueAsBytes(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
