package io.xrootdrestart.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration key: its name in the YAML file, its type, its default and what it means. The
 * environment variable ({@code XROOTDRESTART_CMSD_WAIT}) and the command-line option
 * ({@code --cmsd-wait}) are derived from the name, so adding a key is one declaration in {@link Keys}.
 */
public final class Key<T> {
  private final String name;
  private final ValueParser<T> parser;
  private final Function<Defaults, String> defaultValue;
  private final String label;
  private final String description;

  Key(String name, ValueParser<T> parser, Function<Defaults, String> defaultValue, String label,
      String description) {
    this.name = Objects.requireNonNull(name);
    this.parser = Objects.requireNonNull(parser);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.label = Objects.requireNonNull(label);
    this.description = Objects.requireNonNull(description);
  }

  public String name() {
    return name;
  }

  public ValueParser<T> parser() {
    return parser;
  }

  /** The default as it would be written in the file ("" for none). */
  public String defaultText(Defaults defaults) {
    return defaultValue.apply(defaults);
  }

  /** What the option's value looks like in help text: DURATION, URL, NUMBER ... */
  public String label() {
    return label;
  }

  public String description() {
    return description;
  }

  public String environmentVariable() {
    return "XROOTDRESTART_" + name.toUpperCase(Locale.ROOT);
  }

  public String option() {
    return "--" + name.replace('_', '-');
  }

  /** A value of this key as an admin would write it in the file. */
  public String format(Object value) {
    if (value instanceof Optional<?> o) {
      return o.map(this::format).orElse("");
    }
    if (value instanceof Duration d) {
      return Durations.format(d);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof java.util.Set<?> set) {
      return set.stream().map(v -> v instanceof java.time.DayOfWeek d
          ? d.getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH) : String.valueOf(v))
          .collect(java.util.stream.Collectors.joining(","));
    }
    return String.valueOf(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
