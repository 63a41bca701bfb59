package io.xrootdrestart.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A weekly maintenance window: on {@code days}, from {@code start} to {@code end} in {@code zone}.
 * An end before the start runs past midnight (22:00-04:00 belongs to the day it starts on); an end
 * equal to the start is the whole day.
 */
public record Window(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {
  public Window {
    days = days.isEmpty() ? Set.of() : EnumSet.copyOf(days);
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    Objects.requireNonNull(zone, "zone");
    if (days.isEmpty()) {
      throw new IllegalArgumentException("a window needs at least one day");
    }
  }

  public boolean contains(Instant t) {
    ZonedDateTime local = t.atZone(zone);
    LocalDate day = local.toLocalDate();
    LocalTime time = local.toLocalTime();
    if (start.equals(end)) {
      return days.contains(day.getDayOfWeek());
    }
    if (start.isBefore(end)) {
      return days.contains(day.getDayOfWeek()) && !time.isBefore(start) && time.isBefore(end);
    }
    return (days.contains(day.getDayOfWeek()) && !time.isBefore(start))
        || (days.contains(day.minusDays(1).getDayOfWeek()) && time.isBefore(end));
  }

  /** {@code t} itself when it is inside the window, else the next time the window opens. */
  public Instant nextOpening(Instant t) {
    if (contains(t)) {
      return t;
    }
    LocalDate day = t.atZone(zone).toLocalDate();
    for (int i = 0; i <= 8; i++) {
      LocalDate d = day.plusDays(i);
      if (days.contains(d.getDayOfWeek())) {
        Instant opening = ZonedDateTime.of(d, start, zone).toInstant();
        if (!opening.isBefore(t)) {
          return opening;
        }
      }
    }
    throw new IllegalStateException("no opening within a week of " + t + " for " + this);
  }
}
