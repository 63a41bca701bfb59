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
 * @param rotation the rotation (child group) it concerns; its {@code rotation} label when not empty
 */
public record Alert(
    AlertName name,
    Optional<String> node,
    Instant startsAt,
    String summary,
    String description,
    Optional<String> runDir,
    String rotation) {
  public Alert {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(startsAt, "startsAt");
    summary = summary == null ? "" : summary;
    description = description == null ? "" : description;
    Objects.requireNonNull(runDir, "runDir");
    rotation = rotation == null ? "" : rotation;
  }

  /** An alert of no particular rotation (before rotations, and in tests). */
  public Alert(
      AlertName name,
      Optional<String> node,
      Instant startsAt,
      String summary,
      String description,
      Optional<String> runDir) {
    this(name, node, startsAt, summary, description, runDir, "");
  }

  /**
   * What identifies the alert: its name and node (a server is in one rotation), or for an alert of
   * the whole rotation its name and rotation.
   */
  public String key() {
    return key(name, node, rotation);
  }

  static String key(AlertName name, Optional<String> node, String rotation) {
    return name.label() + node.map(n -> "/" + n).orElse(rotation.isEmpty() ? "" : "@" + rotation);
  }

  Alert since(Instant start) {
    return new Alert(name, node, start, summary, description, runDir, rotation);
  }
}
