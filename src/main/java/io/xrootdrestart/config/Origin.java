package io.xrootdrestart.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a setting's value came from: the default, a line of the config file, an environment
 * variable or an option.
 */
public record Origin(Kind kind, String where, int line) {
  public enum Kind {
    DEFAULT,
    FILE,
    ENVIRONMENT,
    COMMAND_LINE,
    /** A variable of an inventory group: {@code where} is "INVENTORY, group NAME". */
    INVENTORY
  }

  public static final Origin DEFAULT = new Origin(Kind.DEFAULT, "default", 0);

  public Origin {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(where, "where");
  }

  public static Origin file(Path file, int line) {
    return new Origin(Kind.FILE, file.toString(), line);
  }

  public static Origin environment(String variable) {
    return new Origin(Kind.ENVIRONMENT, variable, 0);
  }

  public static Origin commandLine(String option) {
    return new Origin(Kind.COMMAND_LINE, option, 0);
  }

  /** A variable of inventory group {@code group} (a rotation's own setting). */
  public static Origin inventory(String inventory, String group) {
    return new Origin(Kind.INVENTORY, inventory + ", group " + group, 0);
  }

  /** "file.yml:7", "environment XROOTDRESTART_MIN_OK", "command line --min-ok" or "default". */
  public String describe() {
    return switch (kind) {
      case DEFAULT -> "default";
      case FILE -> line > 0 ? where + ":" + line : where;
      case ENVIRONMENT -> "environment " + where;
      case COMMAND_LINE -> "command line " + where;
      case INVENTORY -> "inventory " + where;
    };
  }

  @Override
  public String toString() {
    return describe();
  }
}
