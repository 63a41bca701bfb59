package io.xrootdrestart.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/** The parts of the process's surroundings that configuration depends on; tests pass their own. */
public record Platform(boolean root, Path home, Path workingDir, Map<String, String> environment) {
  public Platform {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(workingDir, "workingDir");
    environment = Map.copyOf(environment);
  }

  public static Platform current() {
    return new Platform(
        "root".equals(System.getProperty("user.name")),
        Path.of(System.getProperty("user.home")),
        Path.of("").toAbsolutePath(),
        System.getenv());
  }
}
