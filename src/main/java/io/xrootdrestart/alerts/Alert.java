package io.xrootdrestart.alerts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One firing condition. {@code startsAt} is fixed when it first fires and kept through every
 * re-send and daemon restart, so Alertmanager always sees the same alert, never a new one.
 *
 * @param node the server, absent on the insufficient-servers alert
 * @param runDir where the failing run's playbook and events are kept, when there is one
 */
public record Alert(
    AlertName name,
    Optional<String> node,
    Instant startsAt,
    String summary,
    String description,
    Optional<String> runDir) {
  public Alert {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(startsAt, "startsAt");
    summary = summary == null ? "" : summary;
    description = description == null ? "" : description;
    Objects.requireNonNull(runDir, "runDir");
  }

  /** What identifies the alert: its name and node. */
  public String key() {
    return key(name, node);
  }

  static String key(AlertName name, Optional<String> node) {
    return name.label() + node.map(n -> "/" + n).orElse("");
  }

  Alert since(Instant start) {
    return new Alert(name, node, start, summary, description, runDir);
  }
}
