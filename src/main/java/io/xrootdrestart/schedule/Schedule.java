package io.xrootdrestart.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * When the next restart starts and which server it takes; pure, time passed in.
 *
 * <p>Slots are fixed-rate: the next one starts one interval ({@code cmsd_period / N}) after the
 * previous slot's <em>scheduled</em> start, however long that restart took. A slot that would lie
 * in the past (the daemon was down, or a restart outlasted the interval) starts now, once: the
 * schedule never runs slots back to back to catch up. A slot outside the maintenance window moves
 * to its next opening.
 *
 * <p>The server is the most overdue: the one whose last attempt is oldest, a server never attempted
 * first, ties in inventory order. Recording the attempt before a restart starts means that a crash
 * cannot make the same server go twice in a row.
 */
public final class Schedule {
  private final Duration period;
  private final Optional<Window> window;

  public Schedule(Duration period, Optional<Window> window) {
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive");
    }
    this.period = period;
    this.window = Objects.requireNonNull(window, "window");
  }

  /** {@code cmsd_period / N}. */
  public Duration interval(int servers) {
    if (servers < 1) {
      throw new IllegalArgumentException("no servers");
    }
    return period.dividedBy(servers);
  }

  /**
   * @param servers the inventory group, in inventory order
   * @param lastAttempts each server's last attempt (missing: never attempted)
   * @param lastSlot when the previous slot was scheduled to start (missing: never)
   */
  public Slot next(
      List<String> servers,
      Map<String, Instant> lastAttempts,
      Optional<Instant> lastSlot,
      Instant now) {
    return new Slot(nextTime(servers.size(), lastSlot, now), mostOverdue(servers, lastAttempts));
  }

  Instant nextTime(int servers, Optional<Instant> lastSlot, Instant now) {
    Instant due = lastSlot.map(last -> last.plus(interval(servers))).orElse(now);
    Instant t = due.isBefore(now) ? now : due;
    return window.map(w -> w.nextOpening(t)).orElse(t);
  }

  /** The server with the oldest last attempt; never attempted first; ties in inventory order. */
  public static String mostOverdue(List<String> servers, Map<String, Instant> lastAttempts) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no servers");
    }
    String best = null;
    Instant bestTime = null;
    for (String s : servers) {
      Instant t = lastAttempts.get(s);
      if (t == null) {
        return s;
      }
      if (bestTime == null || t.isBefore(bestTime)) {
        best = s;
        bestTime = t;
      }
    }
    return best;
  }

  /**
   * The next {@code count} slots, assuming each one restarts its server (what {@code plan} shows; a
   * guard hold would repeat a server).
   */
  public List<Slot> upcoming(
      List<String> servers,
      Map<String, Instant> lastAttempts,
      Optional<Instant> lastSlot,
      Instant now,
      int count) {
    return upcoming(servers, List.of(), lastAttempts, lastSlot, now, count);
  }

  /**
   * The same, leaving out {@code excluded} servers (an admin's {@code exclude}): they get no slot,
   * and the spacing stays {@code cmsd_period / N} of the whole group, so the others are not
   * restarted more often while one is out. Empty when every server is excluded.
   */
  public List<Slot> upcoming(
      List<String> servers,
      Collection<String> excluded,
      Map<String, Instant> lastAttempts,
      Optional<Instant> lastSlot,
      Instant now,
      int count) {
    List<String> candidates = servers.stream().filter(s -> !excluded.contains(s)).toList();
    if (candidates.isEmpty()) {
      return List.of();
    }
    Map<String, Instant> attempts = new HashMap<>(lastAttempts);
    List<Slot> slots = new ArrayList<>();
    Optional<Instant> last = lastSlot;
    Instant clock = now;
    for (int i = 0; i < count; i++) {
      Slot s = new Slot(nextTime(servers.size(), last, clock), mostOverdue(candidates, attempts));
      slots.add(s);
      attempts.put(s.server(), s.time());
      last = Optional.of(s.time());
      clock = s.time();
    }
    return slots;
  }
}
