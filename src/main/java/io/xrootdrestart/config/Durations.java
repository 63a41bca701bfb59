package io.xrootdrestart.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written as whole seconds ({@code 300}) or with units ({@code 5m}, {@code 3d}, {@code
 * 1h30m}).
 */
public final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");
  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d|w))+");

  private Durations() {}

  /** Parses "300", "300s", "5m", "1h30m", "3d", "2w", "500ms". */
  public static Duration parse(String text) throws InvalidValueException {
    String s = text.strip();
    if (s.matches("\\d+")) {
      return ofSeconds(s);
    }
    if (!WHOLE.matcher(s).matches()) {
      throw new InvalidValueException(
          "expected a duration such as 300, 90s, 5m, 1h30m or 3d, got \"" + text + "\"");
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(s);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  case "d" -> Duration.ofDays(n);
                  case "w" -> Duration.ofDays(Math.multiplyExact(n, 7));
                  default -> throw new IllegalStateException(m.group(2));
                });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new InvalidValueException("duration \"" + text + "\" is too large");
    }
    return total;
  }

  private static Duration ofSeconds(String digits) throws InvalidValueException {
    try {
      return Duration.ofSeconds(Long.parseLong(digits));
    } catch (NumberFormatException | ArithmeticException e) {
      throw new InvalidValueException("duration \"" + digits + "\" is too large");
    }
  }

  /** The shortest unit form: 259200s as "3d", 300s as "5m", 90s as "1m30s". */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    long seconds = d.toSecondsPart();
    long millis = d.toMillisPart();
    if (days > 0) {
      out.append(days).append('d');
    }
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (seconds > 0) {
      out.append(seconds).append('s');
    }
    if (millis > 0) {
      out.append(millis).append("ms");
    }
    return out.toString();
  }
}
