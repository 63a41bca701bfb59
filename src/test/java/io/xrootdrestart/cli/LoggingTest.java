package io.xrootdrestart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
  @TempDir Path dir;

  private Config config(String level, String file) {
    return new ConfigLoader(new Platform(false, dir, dir, Map.of()))
        .load(Optional.empty(), Map.of(Keys.LOG_LEVEL, level, Keys.LOG_FILE, file));
  }

  @AfterEach
  void reset() {
    Logging.configure(config("INFO", ""));
  }

  @Test
  void logFileGetsTheLinesAtTheConfiguredLevel() throws Exception {
    Path file = dir.resolve("x.log");
    Logging.configure(config("WARNING", file.toString()));
    Logger log = LoggerFactory.getLogger("test");
    log.info("not this one");
    log.warn("this one");
    String text = Files.readString(file);
    assertTrue(text.contains("WARN  test: this one"), text);
    assertFalse(text.contains("not this one"), text);
  }

  @Test
  void anUnwritableLogFileIsBadInput() {
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            io.xrootdrestart.BadInputException.class,
            () -> Logging.configure(config("INFO", dir.resolve("no/such/dir/x.log").toString())));
    assertEquals(2, e.exitCode());
    assertTrue(
        e.getMessage().contains(": log_file: cannot write"), e.getMessage()); // FILE:LINE first
  }
}
