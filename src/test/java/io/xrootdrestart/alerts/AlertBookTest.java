package io.xrootdrestart.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertBookTest {
  private static final Instant T0 = Instant.parse("2026-12-02T22:00:00Z");

  @TempDir Path state;

  @Test
  void anAlertFileThatCannotBeWrittenKeepsTheAlertsInMemoryAndIsWrittenOnceItCanBe()
      throws Exception {
    AlertBook book = AlertBook.open(state, Clock.fixed(T0, ZoneOffset.UTC), true);
    // the write's temporary file cannot be made (as root a mode would not stop it; a directory
    // in its place does), as on a state_dir turned read-only or full
    Path tmp = Files.createDirectory(state.resolve("alerts.json.tmp"));
    book.fire(
        new Alert(AlertName.RESTART_ERROR, Optional.of("lab1"), T0, "s", "d", Optional.empty()));
    assertTrue(book.fires(AlertName.RESTART_ERROR, Optional.of("lab1")));
    assertEquals(1, book.pending(), "still sent");
    assertFalse(Files.exists(state.resolve("alerts.json")));

    Files.delete(tmp);
    book.refresh(); // every alert_resend
    assertTrue(Files.readString(state.resolve("alerts.json")).contains("lab1"));
    AlertBook reopened = AlertBook.open(state, Clock.fixed(T0, ZoneOffset.UTC), true);
    assertTrue(reopened.fires(AlertName.RESTART_ERROR, Optional.of("lab1")));
  }
}
