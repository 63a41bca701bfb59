package io.xrootdrestart.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z"); // a Monday
  private static final List<String> THREE = List.of("a", "b", "c");
  private final Schedule hourly = new Schedule(Duration.ofHours(3), Optional.empty());

  @Test
  void theFirstSlotIsNowWithTheFirstServer() {
    assertEquals(new Slot(T0, "a"), hourly.next(THREE, Map.of(), Optional.empty(), T0));
  }

  @Test
  void slotsAreFixedRateFromTheLastScheduledStartHoweverLongARestartTook() {
    Map<String, Instant> attempts = new HashMap<>();
    Optional<Instant> last = Optional.empty();
    Instant clock = T0;
    for (int i = 0; i < 9; i++) {
      Slot s = hourly.next(THREE, attempts, last, clock);
      assertEquals(T0.plus(Duration.ofHours(i)), s.time(), "slot " + i);
      assertEquals(THREE.get(i % 3), s.server(), "slot " + i + ": inventory order, every period");
      attempts.put(s.server(), s.time());
      last = Optional.of(s.time());
      clock = s.time().plus(Duration.ofMinutes(17)); // the restart took 17 minutes
    }
  }

  @Test
  void aDaemonThatWasDownLongerThanAPeriodStartsOnceNowThenKeepsTheSpacing() {
    Map<String, Instant> attempts =
        Map.of("a", T0, "b", T0.plusSeconds(3600), "c", T0.plusSeconds(7200));
    Instant back = T0.plus(Duration.ofDays(2));
    Slot first = hourly.next(THREE, attempts, Optional.of(T0.plusSeconds(7200)), back);
    assertEquals(new Slot(back, "a"), first, "one slot now, for the most overdue server");
    Map<String, Instant> after = new HashMap<>(attempts);
    after.put("a", back);
    Slot second = hourly.next(THREE, after, Optional.of(back), back.plusSeconds(60));
    assertEquals(new Slot(back.plus(Duration.ofHours(1)), "b"), second, "not back to back");
  }

  @Test
  void theMostOverdueGoesNextAndNewServersFirst() {
    Map<String, Instant> attempts =
        Map.of("a", T0, "b", T0.minusSeconds(10), "c", T0.minusSeconds(5));
    assertEquals("b", Schedule.mostOverdue(THREE, attempts));
    assertEquals(
        "d",
        Schedule.mostOverdue(List.of("a", "b", "c", "d"), attempts),
        "a new server has never been restarted");
    assertEquals(
        "a",
        Schedule.mostOverdue(List.of("a", "b", "c"), Map.of("a", T0, "b", T0, "c", T0)),
        "ties: inventory order");
  }

  @Test
  void theIntervalFollowsTheNumberOfServers() {
    Optional<Instant> last = Optional.of(T0);
    assertEquals(T0.plus(Duration.ofHours(1)), hourly.next(THREE, Map.of(), last, T0).time());
    assertEquals(
        T0.plus(Duration.ofMinutes(45)),
        hourly.next(List.of("a", "b", "c", "d"), Map.of(), last, T0).time());
    assertEquals(
        T0.plus(Duration.ofMinutes(90)), hourly.next(List.of("a", "b"), Map.of(), last, T0).time());
  }

  @Test
  void removedServersLeaveTheRotationAndTheirRecordsDoNotMatter() {
    Map<String, Instant> attempts =
        Map.of("gone", T0.minusSeconds(99999), "a", T0, "b", T0.minusSeconds(1));
    assertEquals("b", Schedule.mostOverdue(List.of("a", "b"), attempts));
  }

  @Test
  void aSlotOutsideTheWindowMovesToTheNextOpening() {
    Window weekdays =
        new Window(
            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.of(9, 0),
            LocalTime.of(17, 0),
            ZoneId.of("Europe/Zurich"));
    Schedule s = new Schedule(Duration.ofHours(3), Optional.of(weekdays));
    Instant fridayEvening = Instant.parse("2026-11-27T16:30:00Z"); // 17:30 in Zurich
    Slot slot = s.next(THREE, Map.of(), Optional.empty(), fridayEvening);
    assertEquals(Instant.parse("2026-11-30T08:00:00Z"), slot.time(), "Monday 09:00 in Zurich");
    Instant mondayNoon = Instant.parse("2026-11-30T11:00:00Z");
    assertEquals(
        mondayNoon,
        s.next(THREE, Map.of(), Optional.empty(), mondayNoon).time(),
        "inside: unchanged");
  }

  @Test
  void upcomingSlotsListARotation() {
    List<Slot> plan =
        hourly.upcoming(
            THREE, Map.of("a", T0.minusSeconds(100)), Optional.of(T0.minusSeconds(100)), T0, 4);
    assertEquals(List.of("b", "c", "a", "b"), plan.stream().map(Slot::server).toList());
    assertEquals(T0.minusSeconds(100).plus(Duration.ofHours(1)), plan.get(0).time());
  }
}
