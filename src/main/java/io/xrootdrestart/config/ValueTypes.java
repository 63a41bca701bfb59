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
    return matching(USER_NAME, "a user name (lower-case letters, digits, '_', '-', '.'; at most 32)");
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
        throw new InvalidValueException("must be between " + min + " and " + max + ", got " + value);
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
        throw new InvalidValueException(min.isZero() || min.equals(Duration.ofMillis(1))
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
      throw new InvalidValueException("expected one of "
          + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
          + ", got " + describe(raw));
    };
  }

  /** An http(s) URL, or blank for "not used" (Optional.empty()). A path after the host is allowed. */
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

  /** A path; relative paths resolve against the config file's directory (or the working directory). */
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
    String expanded = s.equals("~") || s.startsWith("~/")
        ? System.getProperty("user.home") + s.substring(1) : s;
    return base.resolve(expanded).normalize();
  }

  /**
   * What {@code ansible-playbook -i} takes: a comma-separated host list (kept as written) or a path to
   * a file or directory (resolved like other paths).
   */
  public static ValueParser<String> inventorySource() {
    return (raw, base) -> {
      String s = scalar(raw).strip();
      if (s.isEmpty()) {
        throw new InvalidValueException("an inventory path or a comma-separated host list is required");
      }
      return s.contains(",") ? s : resolve(s, base).toString();
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
