package io.xrootdrestart.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
  @TempDir Path runs;

  @Test
  void aRecordMadeAfterTheRunIsLostNotThrownWhenItCannotBeWritten() throws Exception {
    RunDirectory run =
        RunDirectory.create(runs, Instant.parse("2026-12-02T22:00:00Z"), "lab1", "restart", 10);
    run.keep("stderr.log", "warning");
    assertEquals("warning", Files.readString(run.file("stderr.log")));
    // what a state_dir turned read-only or full does to the writes after the run: they fail (as
    // root, a directory's mode would not stop a write; a file in its place does)
    Files.walk(run.path())
        .sorted(java.util.Comparator.reverseOrder())
        .forEach(p -> p.toFile().delete());
    Files.writeString(run.path(), "not a directory");
    run.keep("stderr.log", "warning");
    run.keepJson("result.json", Map.of("exit_code", 0));
    assertTrue(Files.isRegularFile(run.path()));
    assertThrows(UncheckedIOException.class, () -> run.write("playbook.yml", "- hosts: all"));
  }

  @Test
  void runsBeyondKeepAreRemovedOldestFirst() {
    for (int i = 0; i < 4; i++) {
      RunDirectory.create(runs, Instant.parse("2026-12-02T22:00:0" + i + "Z"), "lab1", "health", 2);
    }
    assertEquals(2, runs.toFile().list().length);
    assertTrue(Files.isDirectory(runs.resolve("20261202T220003.000Z-lab1-health")));
  }
}
