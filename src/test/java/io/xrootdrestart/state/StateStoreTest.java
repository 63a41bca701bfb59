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
  void aRotationStartsFromItsShareOfTheSingleFileWhichThenMovesAside() {
    Instant t = Instant.parse("2026-11-21T06:00:00Z");
    ServerRecord done = ServerRecord.NEVER.attempted(t).finished("success", "", true, false);
    new StateStore(dir)
        .save(
            DaemonState.EMPTY
                .with("a1", done)
                .with("c1", done)
                .withInFlight(Optional.of(new InFlight("c1", "drain", t)))
                .withSilence("s1", "c1"));
    java.util.Map<String, java.util.List<String>> members = new java.util.LinkedHashMap<>();
    members.put("atlas", java.util.List.of("a1", "a2"));
    members.put("cms", java.util.List.of("c1"));
    var stores = StateStore.forRotations(dir, members);
    DaemonState atlas = stores.get("atlas").load();
    assertEquals(java.util.Set.of("a1"), atlas.servers().keySet());
    assertEquals(Optional.empty(), atlas.inFlight(), "c1's restart is cms's to restore");
    DaemonState cms = stores.get("cms").load();
    assertEquals("c1", cms.inFlight().orElseThrow().server());
    assertEquals(java.util.Map.of("s1", "c1"), cms.silences());
    StateStore.split(dir, stores.values());
    assertFalse(Files.exists(dir.resolve("state.json")));
    assertTrue(Files.exists(dir.resolve("state.json.before-rotations")));
    assertEquals(dir.resolve("state-atlas.json"), stores.get("atlas").file());
    assertEquals(cms, stores.get("cms").load(), "from its own file now");
    assertEquals(atlas, stores.get("atlas").load());
  }

  @Test
  void aFlatGroupKeepsStateJson() {
    var stores =
        StateStore.forRotations(
            dir, java.util.Map.of("xrootd_servers", java.util.List.of("lab1", "lab2")));
    assertEquals(dir.resolve("state.json"), stores.get("xrootd_servers").file());
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
