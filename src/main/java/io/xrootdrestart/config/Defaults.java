package io.xrootdrestart.config;

import java.nio.file.Path;

/**
 * What defaults depend on: whether the daemon runs as root, the user's home, and the directory of
 * the config file (the predecessor kept its key next to its config).
 */
public record Defaults(boolean root, Path home, Path configDir) {
  /** {@code /etc/xrootdrestart} for root, else {@code ~/.config/xrootdrestart}. */
  public static Path standardConfigDir(boolean root, Path home) {
    return root ? Path.of("/etc/xrootdrestart") : home.resolve(".config/xrootdrestart");
  }

  public Path stateDir() {
    return root ? Path.of("/var/lib/xrootdrestart") : home.resolve(".local/state/xrootdrestart");
  }
}
