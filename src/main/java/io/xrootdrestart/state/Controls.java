package io.xrootdrestart.state;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an admin told the daemon with {@code pause}/{@code resume} and {@code exclude}/{@code
 * include}: whether the rotation is paused, and which servers it must leave alone (until when). A
 * running daemon reads them at each slot. Immutable; each change returns a new value.
 */
public record Controls(Optional<Pause> pause, Map<String, Exclusion> excluded) {
  public static final Controls NONE = new Controls(Optional.empty(), Map.of());

  /** The rotation is paused since {@code since}, for {@code reason} (may be empty). */
  public record Pause(String reason, Instant since) {
    public Pause {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(since, "since");
    }
  }

  /**
   * A server left out of the rotation since {@code since}, until {@code until} (empty: until
   * included again).
   */
  public record Exclusion(Instant since, Optional<Instant> until, String reason) {
    public Exclusion {
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(until, "until");
      Objects.requireNonNull(reason, "reason");
    }

    public boolean activeAt(Instant now) {
      return until.map(now::isBefore).orElse(true);
    }
  }

  public Controls {
    Objects.requireNonNull(pause, "pause");
    excluded = Map.copyOf(excluded);
  }

  public Controls paused(String reason, Instant now) {
    return new Controls(Optional.of(new Pause(reason, now)), excluded);
  }

  public Controls resumed() {
    return new Controls(Optional.empty(), excluded);
  }

  public Controls exclude(String server, Exclusion exclusion) {
    Map<String, Exclusion> m = new LinkedHashMap<>(excluded);
    m.put(server, exclusion);
    return new Controls(pause, m);
  }

  public Controls include(String server) {
    Map<String, Exclusion> m = new LinkedHashMap<>(excluded);
    m.remove(server);
    return new Controls(pause, m);
  }

  /**
   * Whether {@code server} is out of the rotation at {@code now} (an exclusion past its end no
   * longer counts).
   */
  public boolean isExcluded(String server, Instant now) {
    Exclusion e = excluded.get(server);
    return e != null && e.activeAt(now);
  }

  /** The servers of {@code servers} out of the rotation at {@code now}, in their order. */
  public List<String> excludedOf(List<String> servers, Instant now) {
    return servers.stream().filter(s -> isExcluded(s, now)).toList();
  }
}
