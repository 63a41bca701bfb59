package io.xrootdrestart.silence;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The silence of a server's own alerts while it is restarted ({@code silence_matchers}): created
 * before its drain, extended while the restart runs, expired when it ends. Alertmanager failing
 * never stops a restart: each failure is logged and reported, and the restart goes on.
 */
public final class NodeSilences {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSilences.class);

  /** The daemon's own alerts carry {@code service="xrootdrestart"}; a silence never covers them. */
  static final Matcher NOT_OURS = new Matcher("service", "!=", "xrootdrestart");

  /** No silences (no {@code silence_matchers}). */
  public static final NodeSilences NONE =
      new NodeSilences(List.of(), null, Clock.systemUTC(), (n, w) -> {});

  /** A silence held for a server: its id and when it started (Alertmanager updates it only so). */
  public record Held(String node, String id, Instant startsAt) {}

  private final List<Matcher> matchers;
  private final Silences api;
  private final Clock clock;
  private final BiConsumer<String, String> failed;

  /**
   * @param api where silences are made; null without alert_url (then none is made, and one a crash
   *     left cannot be expired: it ends by itself)
   * @param failed told each failure: the server and what failed
   */
  public NodeSilences(
      List<Matcher> matchers, Silences api, Clock clock, BiConsumer<String, String> failed) {
    List<Matcher> all = new ArrayList<>(matchers);
    if (!all.isEmpty() && !all.contains(NOT_OURS)) {
      all.add(NOT_OURS);
    }
    this.matchers = List.copyOf(all);
    this.api = api;
    this.clock = clock;
    this.failed = failed;
  }

  public boolean enabled() {
    return !matchers.isEmpty() && api != null;
  }

  public List<Matcher> matchers() {
    return matchers;
  }

  /**
   * Silences {@code node}'s alerts for {@code span}; empty when disabled or Alertmanager failed.
   */
  public Optional<Held> start(String node, Duration span) {
    if (!enabled()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    try {
      String id = api.put(null, matchers, node, now, now.plus(span));
      LOG.info("{}: its alerts are silenced for up to {} (silence {})", node, span, id);
      return Optional.of(new Held(node, id, now));
    } catch (IOException e) {
      report(node, "creating its silence", e);
      return Optional.empty();
    }
  }

  /** Moves the silence's end to {@code span} from now; the same one when Alertmanager failed. */
  public Held extend(Held held, Duration span) {
    try {
      String id =
          api.put(held.id(), matchers, held.node(), held.startsAt(), clock.instant().plus(span));
      return id.equals(held.id()) ? held : new Held(held.node(), id, clock.instant());
    } catch (IOException e) {
      report(held.node(), "extending its silence " + held.id(), e);
      return held;
    }
  }

  /** Ends the silence; whether it is gone (false: it stays until its end, and is tried again). */
  public boolean expire(String node, String id) {
    if (api == null) {
      return false; // silences were turned off since: it ends by itself
    }
    try {
      api.expire(id);
      LOG.info("{}: its silence {} is expired", node, id);
      return true;
    } catch (IOException e) {
      report(node, "expiring its silence " + id, e);
      return false;
    }
  }

  /**
   * At the daemon's start, before any restart: expires every silence of this cluster that is still
   * active, whether the state file recorded it or not (the daemon can die between Alertmanager
   * making a silence and the state file recording it).
   */
  public void expireLeftovers() {
    if (api == null) {
      return;
    }
    try {
      for (String id : api.leftovers()) {
        api.expire(id);
        LOG.info("silence {}, left by an earlier run, is expired", id);
      }
    } catch (IOException e) {
      report("-", "expiring the silences an earlier run left", e);
    }
  }

  private void report(String node, String what, IOException e) {
    LOG.warn("{}: {} failed, the restart goes on: {}", node, what, e.getMessage());
    failed.accept(node, what);
  }
}
