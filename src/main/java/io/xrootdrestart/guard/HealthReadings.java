package io.xrootdrestart.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each server's last health reading and when it was taken, for {@code health_max_age}: a restart's
 * run then reads only some of the fleet, and the guard counts the others by their last reading.
 *
 * <p>Which servers a slot reads ({@link #toRead}): the target; every server that is unhealthy, or
 * has no reading, or one older than the limit; and the oldest of the rest, as many as keep every
 * reading within the limit at this pace of slots ({@code ceil(N × slot interval / max age)}), so
 * the fleet is read a slice per slot rather than all at once when the readings of a start expire
 * together.
 */
public final class HealthReadings {
  private record Reading(ServerHealth health, Instant at) {}

  private final Map<String, Reading> readings = new LinkedHashMap<>();

  /**
   * The servers of {@code fleet} (in fleet order) to read before {@code target}'s slot at {@code
   * now}; all of them when {@code maxAge} is zero.
   */
  public synchronized List<String> toRead(
      List<String> fleet, String target, Instant now, Duration maxAge, Duration slotInterval) {
    if (maxAge.isZero()) {
      return List.copyOf(fleet);
    }
    Set<String> chosen = new LinkedHashSet<>();
    List<String> fresh = new ArrayList<>();
    for (String s : fleet) {
      Reading r = readings.get(s);
      if (s.equals(target)
          || r == null
          || !r.health().healthy()
          || Duration.between(r.at(), now).compareTo(maxAge) >= 0) {
        chosen.add(s);
      } else {
        fresh.add(s);
      }
    }
    long slice =
        Math.min(
            fresh.size(),
            (fleet.size() * slotInterval.toMillis() + maxAge.toMillis() - 1) / maxAge.toMillis());
    fresh.stream()
        .sorted(Comparator.comparing((String s) -> readings.get(s).at()))
        .limit(slice)
        .forEach(chosen::add);
    return fleet.stream().filter(chosen::contains).toList();
  }

  /**
   * Records what a check of some servers found at {@code at}, and returns the fleet's health: those
   * servers as just read, the others by their last reading (a server never read is unknown).
   * Servers that left the fleet are forgotten.
   */
  public synchronized FleetHealth update(FleetHealth fresh, List<String> fleet, Instant at) {
    readings.keySet().retainAll(fleet);
    fresh.servers().forEach((name, h) -> readings.put(name, new Reading(h, at)));
    Map<String, ServerHealth> all = new LinkedHashMap<>();
    for (String s : fleet) {
      Reading r = readings.get(s);
      all.put(s, r == null ? ServerHealth.unknown(s, "not checked") : r.health());
    }
    return new FleetHealth(all, fresh.took());
  }

  /**
   * Forgets {@code server}'s reading, so that the next slot reads it: after its restart, whatever
   * the outcome, a reading from before says nothing.
   */
  public synchronized void forget(String server) {
    readings.remove(server);
  }
}
