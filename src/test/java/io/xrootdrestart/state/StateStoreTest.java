package io.xrootdrestart.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir Path dir;

  @Test
  void aMissingFileIsAnEmptyState() {
    assertEquals(DaemonState.EMPTY, new StateStore(dir).load());
  }

  @Test
  void roundTripsEveryField() {
    Instant t = Instant.parse("2026-11-21T06:00:00.123Z");
    DaemonState s =
        DaemonState.EMPTY
            .withLastSlot(t)
            .with("lab1", ServerRecord.NEVER.attempted(t).finished("success", "", true, false))
            .with(
                "lab2",
                ServerRecord.NEVER
                    .attempted(t.plusSeconds(60))
                    .finished("unreachable", "no route", false, true))
            .withInFlight(Optional.of(new InFlight("lab3", "drain", t.plusSeconds(120))))
            .withSilence("7c2b3ffa-3c1e-4d1b-9d43-2b1f3e0a1c55", "lab3");
    StateStore store = new StateStore(dir);
    store.save(s);
    DaemonState back = store.load();
    assertEquals(s, back);
    assertEquals(Optional.of(t), back.server("lab1").lastSuccess());
    assertTrue(back.server("lab2").needsRestore());
    assertEquals(ServerRecord.NEVER, back.server("unknown"));
    assertFalse(Files.exists(dir.resolve("state.json.tmp")), "no temporary file is left");
  }

  @Test
  void silencesThatAreNotAMappingAreCorrupt() throws Exception {
    Files.writeString(dir.resolve("state.json"), "{\"silences\": [\"abc\"]}");
    StateException e = assertThrows(StateException.class, () -> new StateStore(dir).load());
    assertTrue(e.getMessage().contains("silences is not a mapping"), e.getMessage());
  }

  @Test
  void aCorruptFileIsNamedNotIgnored() throws Exception {
    Files.writeString(dir.resolve("state.json"), "{\"last_slot\": \"yesterday\"}");
    StateException e = assertThrows(StateException.class, () -> new StateStore(dir).load());
    assertTrue(
        e.getMessage().startsWith("state file " + dir.resolve("state.json") + " cannot be read"),
        e.getMessage());
    assertEquals(2, e.exitCode());
  }

  @Test
  void aSecondDaemonOnTheSameStateDirIsRefused() {
    try (StateLock first = StateLock.acquire(dir)) {
      StateException e = assertThrows(StateException.class, () -> StateLock.acquire(dir));
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
    }
    StateLock.acquire(dir).close(); // free again once released
  }
}
