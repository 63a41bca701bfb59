package io.xrootdrestart.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xrootdrestart.state.AtomicFile;
import io.xrootdrestart.state.JsonFile;
import io.xrootdrestart.state.StateException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts that fire and the outbox of deliveries to Alertmanager, kept together in {@code
 * state_dir/alerts.json} and rewritten atomically on every change, so a crash or a restart of the
 * daemon loses neither. The outbox holds at most one delivery per alert, the newest, in the order
 * they were made. Without {@code alert_url} the firing alerts are still kept (metrics show them)
 * but nothing is queued. Thread-safe: the daemon fires and resolves, the sender takes and
 * acknowledges.
 */
public final class AlertBook {
  static final String FILE = "alerts.json";
  private static final Logger LOG = LoggerFactory.getLogger(AlertBook.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;
  private final Clock clock;
  private final boolean deliver;
  private final Map<String, Alert> firing = new LinkedHashMap<>();
  private final Map<String, Delivery> outbox = new LinkedHashMap<>();
  private long seq;

  /** Why the last write of the file failed; null when it succeeded. */
  private String unwritable;

  private AlertBook(Path file, Clock clock, boolean deliver) {
    this.file = file;
    this.clock = clock;
    this.deliver = deliver;
  }

  /**
   * Loads the book from {@code stateDir}. Alerts that were firing are queued again at once, so an
   * Alertmanager that lost them (or never got them) has them back.
   *
   * @param deliver whether alerts go to Alertmanager (alert_url set)
   */
  public static AlertBook open(Path stateDir, Clock clock, boolean deliver) {
    AlertBook book = new AlertBook(stateDir.resolve(FILE), clock, deliver);
    book.load();
    if (!deliver && !book.outbox.isEmpty()) {
      LOG.info("alert_url is blank: dropping {} undelivered alert(s)", book.outbox.size());
      book.outbox.clear();
      book.save();
    }
    book.refresh(); // saves if it queued anything
    return book;
  }

  /** Fires {@code alert}, or updates it if it fires already (keeping its start). */
  public synchronized void fire(Alert alert) {
    Alert previous = firing.get(alert.key());
    Alert next = previous == null ? alert : alert.since(previous.startsAt());
    if (next.equals(previous)) {
      return;
    }
    firing.put(next.key(), next);
    enqueue(next, Optional.empty());
    save();
  }

  /** Resolves the alert, if it fires. */
  public synchronized void resolve(AlertName name, Optional<String> node) {
    resolve(name, node, "");
  }

  /** Resolves the alert of {@code rotation} (the rotation's own, without a node), if it fires. */
  public synchronized void resolve(AlertName name, Optional<String> node, String rotation) {
    Alert alert = firing.remove(Alert.key(name, node, rotation));
    if (alert != null) {
      enqueue(alert, Optional.of(clock.instant()));
      save();
    }
  }

  /** Queues every firing alert that has no delivery waiting: the periodic re-send. */
  public synchronized void refresh() {
    boolean changed = false;
    for (Alert a : firing.values()) {
      if (!outbox.containsKey(a.key())) {
        enqueue(a, Optional.empty());
        changed = true;
      }
    }
    if (changed || unwritable != null) {
      save();
    }
  }

  public synchronized List<Alert> firing() {
    return List.copyOf(firing.values());
  }

  public synchronized boolean fires(AlertName name, Optional<String> node) {
    return fires(name, node, "");
  }

  public synchronized boolean fires(AlertName name, Optional<String> node, String rotation) {
    return firing.containsKey(Alert.key(name, node, rotation));
  }

  /** How many deliveries wait in the outbox. */
  public synchronized int pending() {
    return outbox.size();
  }

  /** The waiting deliveries in order; waits up to {@code max} for one if there is none. */
  public synchronized List<Delivery> awaitPending(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (outbox.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return List.of();
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(outbox.values());
  }

  /**
   * Alertmanager accepted these: drop them, unless a newer delivery of the same alert came
   * meanwhile.
   */
  public synchronized void delivered(List<Delivery> sent) {
    boolean changed = false;
    for (Delivery d : sent) {
      Delivery current = outbox.get(d.alert().key());
      if (current != null && current.seq() <= d.seq()) {
        outbox.remove(d.alert().key());
        changed = true;
      }
    }
    if (changed) {
      save();
    }
  }

  private void enqueue(Alert alert, Optional<Instant> resolvedAt) {
    if (!deliver) {
      return;
    }
    outbox.remove(alert.key()); // the newer delivery replaces the older and goes to the end
    outbox.put(alert.key(), new Delivery(++seq, alert, resolvedAt));
    notifyAll();
  }

  private void load() {
    Optional<JsonNode> read = JsonFile.read(file, why -> corrupt(why, null));
    if (read.isEmpty()) {
      return;
    }
    JsonNode root = read.get();
    try {
      seq = root.path("seq").asLong(0);
      for (JsonNode a : root.path("firing")) {
        Alert alert = alert(a);
        firing.put(alert.key(), alert);
      }
      for (JsonNode d : root.path("outbox")) {
        Delivery delivery =
            new Delivery(d.path("seq").asLong(), alert(d.path("alert")), instant(d, "resolved_at"));
        outbox.put(delivery.alert().key(), delivery);
        seq = Math.max(seq, delivery.seq());
      }
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw corrupt(e.getMessage(), e);
    }
  }

  private StateException corrupt(String why, Throwable cause) {
    return new StateException(
        "alert file "
            + file
            + " cannot be read ("
            + why
            + "); fix it or move it away (firing alerts are then forgotten; Alertmanager resolves"
            + " them within 4 x alert_resend)",
        cause);
  }

  private static Alert alert(JsonNode a) {
    String name = a.path("alertname").asText();
    if (!name.startsWith("XROOTDRESTART_")) {
      throw new IllegalArgumentException("unknown alert " + name);
    }
    return new Alert(
        AlertName.fromLabel(name),
        text(a, "node"),
        instant(a, "starts_at")
            .orElseThrow(() -> new IllegalArgumentException("an alert has no starts_at")),
        a.path("summary").asText(""),
        a.path("description").asText(""),
        text(a, "run_dir"),
        a.path("rotation").asText(""));
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    return text(node, field).map(JsonFile::instant);
  }

  private void save() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", JsonFile.FORMAT);
    root.put("seq", seq);
    ArrayNode f = root.putArray("firing");
    firing.values().forEach(a -> f.add(json(a)));
    ArrayNode o = root.putArray("outbox");
    for (Delivery d : outbox.values()) {
      ObjectNode n = o.addObject();
      n.put("seq", d.seq());
      n.put("resolved_at", d.resolvedAt().map(Instant::toString).orElse(null));
      n.set("alert", json(d.alert()));
    }
    try {
      AtomicFile.write(file, JSON.writeValueAsBytes(root));
      if (unwritable != null) {
        LOG.info("the alert file {} is written again", file);
        unwritable = null;
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (UncheckedIOException e) {
      // state_dir read-only or full: the alerts are still sent from memory; only a crash before
      // the file is written again loses them (Alertmanager then ends them at their endsAt)
      if (unwritable == null) {
        LOG.warn(
            "cannot write the alert file {} ({}): alerts are kept in memory and still sent;"
                + " tried again at every change and every alert_resend",
            file,
            e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
      unwritable = e.getMessage();
    }
  }

  private static ObjectNode json(Alert a) {
    ObjectNode n = JSON.createObjectNode();
    n.put("alertname", a.name().label());
    n.put("node", a.node().orElse(null));
    n.put("starts_at", a.startsAt().toString());
    n.put("summary", a.summary());
    n.put("description", a.description());
    n.put("run_dir", a.runDir().orElse(null));
    if (!a.rotation().isEmpty()) {
      n.put("rotation", a.rotation());
    }
    return n;
  }
}
