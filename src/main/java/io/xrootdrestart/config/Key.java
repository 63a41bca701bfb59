package io.xrootdrestart.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One configuration key: its name in the YAML file, its type, its default and what it means. The
 * environment variable ({@code XROOTDRESTART_CMSD_WAIT}) and the command-line option ({@code
 * --cmsd-wait}) are derived from the name, and so are the README's row, the option's help and the
 * key's lines in the commented config file ({@link ConfigTemplate}): adding a key is one
 * declaration in {@link Keys}.
 */
public final class Key<T> {
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  private final String name;
  private final ValueParser<T> parser;
  private final Function<Defaults, String> defaultValue;
  private final String defaultDoc;
  private final String label;
  private final String doc;

  /**
   * @param defaultDoc the default as the README states it (Markdown), or null for the default
   *     itself ({@code `300`}, or {@code blank})
   * @param doc what the key means, in Markdown (code in backticks only)
   */
  Key(
      String name,
      ValueParser<T> parser,
      Function<Defaults, String> defaultValue,
      String defaultDoc,
      String label,
      String doc) {
    this.name = Objects.requireNonNull(name);
    this.parser = Objects.requireNonNull(parser);
    this.defaultValue = Objects.requireNonNull(defaultValue);
    this.defaultDoc = defaultDoc;
    this.label = Objects.requireNonNull(label);
    this.doc = Objects.requireNonNull(doc);
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

  /**
   * What the key means, in Markdown: the README's table and, as plain text, the config template.
   */
  public String doc() {
    return doc;
  }

  /**
   * The default as the README's table states it, in Markdown: {@code `300`}, {@code blank (off)},
   * ...
   */
  public String defaultDoc(Defaults defaults) {
    if (defaultDoc != null) {
      return defaultDoc;
    }
    String text = defaultText(defaults);
    return text.isEmpty() ? "blank" : "`" + text + "`";
  }

  /** The option's help: what the key means and its default, as plain text. */
  public String description() {
    return (plain(doc) + " Default: " + plain(defaultDoc(null)) + ".").replace("%", "%%");
  }

  /** Markdown of the docs as plain text: {@code `x`} becomes x. */
  public static String plain(String markdown) {
    return CODE.matcher(markdown).replaceAll("$1");
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
      return set.stream()
          .map(
              v ->
                  v instanceof java.time.DayOfWeek d
                      ? d.getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ENGLISH)
                      : String.valueOf(v))
          .collect(java.util.stream.Collectors.joining(","));
    }
    return String.valueOf(value);
  }

  @Override
  public String toString() {
    return name;
  }
}
