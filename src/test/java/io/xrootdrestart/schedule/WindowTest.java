package io.xrootdrestart.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowTest {
  private static final ZoneId NY = ZoneId.of("America/New_York");

  @Test
  void anOvernightWindowBelongsToTheDayItStarts() {
    Window w = new Window(Set.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0), LocalTime.of(4, 0), NY);
    assertTrue(w.contains(Instant.parse("2026-11-29T05:00:00Z")), "Sunday 00:00 in New York");
    assertFalse(
        w.contains(Instant.parse("2026-11-30T05:00:00Z")),
        "Monday 00:00: the window is Saturday's");
    assertEquals(
        Instant.parse("2026-11-29T03:00:00Z"),
        w.nextOpening(Instant.parse("2026-11-25T12:00:00Z")),
        "Saturday 22:00 EST");
  }

  @Test
  void theZoneAndDaylightSavingTimeAreHonoured() {
    Window w =
        new Window(EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 30), LocalTime.of(3, 30), NY);
    // 2027-03-14: 02:00 does not exist in New York; the opening is the first instant after the gap.
    assertEquals(
        Instant.parse("2027-03-14T07:30:00Z"),
        w.nextOpening(Instant.parse("2027-03-14T05:00:00Z")));
  }

  @Test
  void equalStartAndEndIsTheWholeDay() {
    Window w =
        new Window(
            Set.of(DayOfWeek.MONDAY), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, ZoneId.of("UTC"));
    assertTrue(w.contains(Instant.parse("2026-11-23T23:59:00Z")));
    assertFalse(w.contains(Instant.parse("2026-11-24T00:01:00Z")));
  }
}
