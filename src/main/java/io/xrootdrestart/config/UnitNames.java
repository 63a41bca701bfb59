package io.xrootdrestart.config;

import java.util.regex.Pattern;

/**
 * systemd unit names the daemon may put on a command line and into a sudo rule. systemd allows
 * {@code [A-Za-z0-9:_.\-]} plus one {@code @}; of those, {@code :} and {@code \} mean something to
 * sudoers and a leading {@code -} or {@code .} would read as an option or a hidden file, so they
 * are refused here. A name is a service, written without a suffix (as the sudo rule lists it) or
 * with {@code .service}.
 */
public final class UnitNames {
  private static final int MAX_LENGTH = 255;
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*(@[A-Za-z0-9_.\\-]+)?(\\.service)?");
  private static final Pattern OTHER_SUFFIX =
      Pattern.compile(".*\\.(socket|device|mount|automount|swap|target|path|timer|slice|scope)$");

  private UnitNames() {}

  /** Returns the name unchanged, or explains why systemd, a shell or sudo would not take it. */
  public static String check(String name) throws InvalidValueException {
    if (name.isEmpty()) {
      throw new InvalidValueException("a unit name is required, e.g. xrootd@cluster");
    }
    if (name.length() > MAX_LENGTH) {
      throw new InvalidValueException("unit name longer than " + MAX_LENGTH + " characters");
    }
    if (OTHER_SUFFIX.matcher(name).matches()) {
      throw new InvalidValueException("\"" + name + "\" is not a service unit");
    }
    if (name.endsWith("@") || name.endsWith("@.service")) {
      throw new InvalidValueException(
          "\""
              + name
              + "\" is a template; name an instance, e.g. "
              + name.substring(0, name.indexOf('@'))
              + "@cluster");
    }
    if (!NAME.matcher(name).matches()) {
      throw new InvalidValueException(
          "\""
              + name
              + "\" is not a valid unit name: use letters, digits, '_', '-', '.' and at most one"
              + " '@' (no spaces, quotes, ':', '\\', '/', '*' or other characters a shell or sudo"
              + " would read specially), not starting with '-' or '.'");
    }
    return name;
  }

  /**
   * Whether two valid names are the same unit ({@code xrootd@a} and {@code xrootd@a.service} are).
   */
  public static boolean same(String a, String b) {
    return a.replaceFirst("\\.service$", "").equals(b.replaceFirst("\\.service$", ""));
  }
}
