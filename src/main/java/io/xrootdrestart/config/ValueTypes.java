package io.xrootdrestart.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The value types a config key can have, each a {@link ValueParser}. */
public final class ValueTypes {
  private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_.\\-]{0,31}");
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.+\\-]+");

  private ValueTypes() {}

  /** The node as text, refusing lists and maps; null (an empty YAML value) reads as "". */
  static String scalar(JsonNode raw) throws InvalidValueException {
    if (raw == null || raw.isNull() || raw.isMissingNode()) {
      return "";
    }
    if (raw.isContainerNode()) {
      throw new InvalidValueException(
          "expected a single value, got a " + (raw.isArray() ? "list" : "mapping"));
    }
    return raw.asText();
  }

  static String describe(JsonNode raw) {
    return raw.isTextual() ? "\"" + raw.asText() + "\"" : raw.toString();
  }

  /**
   * Alertmanager matchers: a YAML list of them, or one text with several separated by commas (the
   * form an environment variable gives); blank or an empty list: none.
   */
  public static ValueParser<java.util.List<io.xrootdrestart.silence.Matcher>> matchers() {
    return (raw, base) -> {
      java.util.List<io.xrootdrestart.silence.Matcher> all = new java.util.ArrayList<>();
      java.util.List<String> texts = new java.util.ArrayList<>();
      if (raw != null && raw.isArray()) {
        for (JsonNode item : raw) {
          texts.add(scalar(item));
        }
      } else if (!scalar(raw).isBlank()) {
        texts.add(scalar(raw));
      }
      for (String t : texts) {
        try {
          all.addAll(io.xrootdrestart.silence.Matcher.parseAll(t));
        } catch (IllegalArgumentException e) {
          throw new InvalidValueException(e.getMessage());
        }
      }
      if (!all.isEmpty()
          && all.stream()
              .noneMatch(m -> m.value().contains(io.xrootdrestart.silence.Matcher.NODE))) {
        throw new InvalidValueException(
            "no matcher names the server with {node}, so the silence would cover every server:"
                + " for example instance=~\"{node}(:[0-9]+)?\"");
      }
      return java.util.List.copyOf(all);
    };
  }

  /** Free text; blank allowed only when {@code blankAllowed}. */
  public static ValueParser<String> text(boolean blankAllowed) {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty() && !blankAllowed) {
        throw new InvalidValueException("a value is required");
      }
      return s;
    };
  }

  /** Free text, or blank for none. */
  public static ValueParser<Optional<String>> optionalText() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(s);
    };
  }

  /** Text matching a pattern, explained by {@code what} when it does not. */
  public static ValueParser<String> matching(Pattern pattern, String what) {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (!pattern.matcher(s).matches()) {
        throw new InvalidValueException("expected " + what + ", got " + describe(raw));
      }
      return s;
    };
  }

  public static ValueParser<String> userName() {
    return matching(
        USER_NAME, "a user name (lower-case letters, digits, '_', '-', '.'; at most 32)");
  }

  public static ValueParser<String> fileName() {
    return matching(FILE_NAME, "a file name without '/' or spaces");
  }

  /** A whole number in [min, max]. */
  public static ValueParser<Integer> integer(int min, int max) {
    return (raw, base) -> {
      long value;
      if (raw.isIntegralNumber()) {
        value = raw.asLong();
      } else if (raw.isTextual() && raw.asText().strip().matches("-?\\d{1,18}")) {
        value = Long.parseLong(raw.asText().strip());
      } else {
        throw new InvalidValueException("expected a whole number, got " + describe(raw));
      }
      if (value < min || value > max) {
        throw new InvalidValueException(
            "must be between " + min + " and " + max + ", got " + value);
      }
      return (int) value;
    };
  }

  /** A duration of at least {@code min}: seconds, or with units (5m, 3d). */
  public static ValueParser<Duration> duration(Duration min) {
    return (raw, base) -> {
      Duration d;
      if (raw.isIntegralNumber()) {
        if (raw.asLong() < 0) {
          throw new InvalidValueException("must not be negative, got " + raw.asLong());
        }
        d = Duration.ofSeconds(raw.asLong());
      } else if (raw.isTextual()) {
        String s = raw.asText().strip();
        if (s.startsWith("-")) {
          throw new InvalidValueException("must not be negative, got \"" + s + "\"");
        }
        d = Durations.parse(s);
      } else {
        throw new InvalidValueException(
            "expected a duration such as 300, 5m or 3d, got " + describe(raw));
      }
      if (d.compareTo(min) < 0) {
        throw new InvalidValueException(
            min.isZero() || min.equals(Duration.ofMillis(1))
                ? "must be greater than 0, got " + describe(raw)
                : "must be at least " + Durations.format(min) + ", got " + describe(raw));
      }
      return d;
    };
  }

  public static ValueParser<Boolean> bool() {
    return (raw, base) -> {
      if (raw.isBoolean()) {
        return raw.asBoolean();
      }
      String s = scalar(raw).strip().toLowerCase(Locale.ROOT);
      return switch (s) {
        case "true", "yes", "on", "1" -> true;
        case "false", "no", "off", "0" -> false;
        default -> throw new InvalidValueException("expected true or false, got " + describe(raw));
      };
    };
  }

  /** One of an enum's constants, case-insensitive, with extra spellings in {@code aliases}. */
  public static <E extends Enum<E>> ValueParser<E> oneOf(Class<E> type, Map<String, E> aliases) {
    return oneOf(type, aliases, false);
  }

  /** One of the enum's values, written in lower case ("xrootd_first"); any case is accepted. */
  public static <E extends Enum<E>> ValueParser<E> lowerCaseOneOf(Class<E> type) {
    return oneOf(type, Map.of(), true);
  }

  private static <E extends Enum<E>> ValueParser<E> oneOf(
      Class<E> type, Map<String, E> aliases, boolean lower) {
    return (raw, base) -> {
      String s = scalar(raw).strip().toUpperCase(Locale.ROOT);
      if (aliases.containsKey(s)) {
        return aliases.get(s);
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equals(s)) {
          return e;
        }
      }
      throw new InvalidValueException(
          "expected one of "
              + Arrays.stream(type.getEnumConstants())
                  .map(e -> lower ? e.name().toLowerCase(Locale.ROOT) : e.name())
                  .collect(Collectors.joining(", "))
              + ", got "
              + describe(raw));
    };
  }

  /**
   * An http(s) URL, or blank for "not used" (Optional.empty()). A path after the host is allowed.
   */
  public static ValueParser<Optional<URI>> optionalHttpUrl() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        return Optional.empty();
      }
      URI uri;
      try {
        uri = new URI(s);
      } catch (URISyntaxException e) {
        throw new InvalidValueException("not a URL: " + e.getMessage());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new InvalidValueException(
            "expected an http:// or https:// URL (or blank to turn it off), got \"" + s + "\"");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw new InvalidValueException("URL \"" + s + "\" has no host name");
      }
      if (uri.getQuery() != null || uri.getFragment() != null) {
        throw new InvalidValueException("URL \"" + s + "\" must not have a query or fragment");
      }
      return Optional.of(uri);
    };
  }

  public static ValueParser<String> unitName() {
    return (raw, base) -> UnitNames.check(scalar(raw).strip());
  }

  /**
   * A path; relative paths resolve against the config file's directory (or the working directory).
   */
  public static ValueParser<Path> path() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        throw new InvalidValueException("a path is required");
      }
      return resolve(s, base);
    };
  }

  /** A path, or blank for none. */
  public static ValueParser<Optional<Path>> optionalPath() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      return s.isEmpty() ? Optional.empty() : Optional.of(resolve(s, base));
    };
  }

  private static Path resolve(String s, Path base) throws InvalidValueException {
    if (s.indexOf('\0') >= 0) {
      throw new InvalidValueException("a path cannot contain a NUL character");
    }
    String expanded =
        s.equals("~") || s.startsWith("~/") ? System.getProperty("user.home") + s.substring(1) : s;
    return base.resolve(expanded).normalize();
  }

  /**
   * What {@code ansible-playbook -i} takes: a comma-separated host list (kept as written) or a path
   * to a file or directory (resolved like other paths).
   */
  public static ValueParser<String> inventorySource() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        throw new InvalidValueException(
            "an inventory path or a comma-separated host list is required");
      }
      return s.contains(",") ? s : resolve(s, base).toString();
    };
  }

  private static final java.util.List<java.time.DayOfWeek> WEEK =
      java.util.List.of(java.time.DayOfWeek.values());

  /** Days of the week: "Mon-Fri", "Sat,Sun", "Mon-Wed,Fri"; blank for none. */
  public static ValueParser<java.util.Set<java.time.DayOfWeek>> days() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      java.util.Set<java.time.DayOfWeek> days = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
      if (s.isEmpty()) {
        return days;
      }
      for (String part : s.split("\\s*,\\s*")) {
        String[] range = part.split("\\s*-\\s*");
        if (range.length > 2) {
          throw new InvalidValueException(
              "expected days such as Mon-Fri or Sat,Sun, got \"" + s + "\"");
        }
        java.time.DayOfWeek from = day(range[0], s);
        java.time.DayOfWeek to = range.length == 2 ? day(range[1], s) : from;
        for (int i = from.ordinal(); ; i = (i + 1) % 7) {
          days.add(WEEK.get(i));
          if (i == to.ordinal()) {
            break;
          }
        }
      }
      return days;
    };
  }

  private static java.time.DayOfWeek day(String word, String whole) throws InvalidValueException {
    String w = word.strip().toUpperCase(Locale.ROOT);
    for (java.time.DayOfWeek d : WEEK) {
      if (w.length() >= 3 && d.name().startsWith(w)) {
        return d;
      }
    }
    throw new InvalidValueException(
        "expected days such as Mon-Fri or Sat,Sun, got \"" + whole + "\"");
  }

  /** A time of day "HH:MM", or blank. */
  public static ValueParser<Optional<java.time.LocalTime>> optionalTimeOfDay() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        return Optional.empty();
      }
      if (!s.matches("\\d{1,2}:\\d{2}")) {
        throw new InvalidValueException(
            "expected a time of day such as 06:30, got " + describe(raw));
      }
      try {
        return Optional.of(java.time.LocalTime.parse(s.length() == 4 ? "0" + s : s));
      } catch (java.time.format.DateTimeParseException e) {
        throw new InvalidValueException(
            "expected a time of day such as 06:30, got " + describe(raw));
      }
    };
  }

  /** A time zone such as Europe/Zurich or UTC; blank for this machine's zone. */
  public static ValueParser<Optional<java.time.ZoneId>> optionalZone() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(java.time.ZoneId.of(s));
      } catch (java.time.DateTimeException e) {
        throw new InvalidValueException(
            "expected a time zone such as Europe/Zurich or UTC, got " + describe(raw));
      }
    };
  }

  /** A regular expression, or blank for none. */
  public static ValueParser<Optional<Pattern>> optionalRegex() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(Pattern.compile(s));
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new InvalidValueException(
            "not a regular expression: " + e.getDescription() + " near index " + e.getIndex());
      }
    };
  }

  /** Anything that passes {@code test}, which is explained by {@code what}. */
  public static <T> ValueParser<T> where(ValueParser<T> parser, Predicate<T> test, String what) {
    return (raw, base) -> {
      T value = parser.parse(raw, base);
      if (!test.test(value)) {
        throw new InvalidValueException(what + ", got " + describe(raw));
      }
      return value;
    };
  }
}
