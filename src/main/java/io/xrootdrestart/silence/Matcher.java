package io.xrootdrestart.silence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One Alertmanager matcher of {@code silence_matchers}, in Alertmanager's own syntax: {@code
 * label=value}, {@code label!=value}, {@code label=~regex} or {@code label!~regex}, the value in
 * double quotes or bare. {@code {node}} in the value stands for the server's name (in a regex, with
 * its dots and other special characters escaped).
 */
public record Matcher(String name, String op, String value) {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern OP = Pattern.compile("=~|!~|!=|=");

  public Matcher {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
  }

  /** The place in a value that stands for the server's name. */
  public static final String NODE = "{node}";

  public boolean isRegex() {
    return op.endsWith("~");
  }

  public boolean isEqual() {
    return op.startsWith("=");
  }

  /** The value for {@code node}. */
  public String valueFor(String node) {
    return value.replace(NODE, isRegex() ? regexQuote(node) : node);
  }

  /** The matcher as written: {@code instance=~"{node}(:[0-9]+)?"}. */
  @Override
  public String toString() {
    return name + op + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** Escapes what RE2 (Alertmanager's regex syntax) treats as special. */
  static String regexQuote(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * Parses one matcher, or several separated by commas (optionally in braces: {@code {a="1",
   * b=~"x"}}), as Alertmanager's {@code amtool} writes them.
   *
   * @throws IllegalArgumentException with what is wrong, naming the text
   */
  public static List<Matcher> parseAll(String text) {
    String s = text.strip();
    if (s.startsWith("{") && s.endsWith("}") && !s.equals(NODE)) {
      s = s.substring(1, s.length() - 1).strip();
    }
    List<Matcher> all = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && "=!~".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String name = s.substring(start, i).strip();
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "expected a matcher such as instance=~\"{node}(:[0-9]+)?\", got \"" + text + "\"");
      }
      var op = OP.matcher(s).region(i, s.length());
      if (!op.lookingAt()) {
        throw new IllegalArgumentException(
            "matcher \"" + text + "\": after " + name + " expected =, !=, =~ or !~");
      }
      i = op.end();
      StringBuilder value = new StringBuilder();
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < s.length()) {
          char c = s.charAt(i++);
          if (c == '\\' && i < s.length()) {
            value.append(s.charAt(i++));
          } else if (c == '"') {
            closed = true;
            break;
          } else {
            value.append(c);
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("matcher \"" + text + "\": unclosed quote");
        }
      } else {
        int vs = i;
        while (i < s.length() && s.charAt(i) != ',') {
          i++;
        }
        value.append(s.substring(vs, i).strip());
      }
      Matcher m = new Matcher(name, op.group(), value.toString());
      if (m.isRegex()) {
        try {
          Pattern.compile(m.valueFor("node"));
        } catch (java.util.regex.PatternSyntaxException e) {
          throw new IllegalArgumentException(
              "matcher \"" + text + "\": not a valid regular expression: " + e.getDescription());
        }
      }
      all.add(m);
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
      if (i < s.length()) {
        if (s.charAt(i) != ',') {
          throw new IllegalArgumentException(
              "matcher \"" + text + "\": expected a comma after " + m);
        }
        i++;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
          i++;
        }
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException("no matcher in \"" + text + "\"");
    }
    return all;
  }
}
