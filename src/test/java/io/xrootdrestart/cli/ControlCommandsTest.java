package io.xrootdrestart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.ReadmeExamples;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.StateStore;
import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pause, resume, exclude and include write the controls file, and status shows them; no server is
 * contacted.
 */
@UsesTools
class ControlCommandsTest {
  @TempDir Path dir;

  Path config;

  @BeforeEach
  void config() throws Exception {
    config = dir.resolve("c.yml");
    Files.writeString(
        config, "inventory: a.invalid,b.invalid,c.invalid\nstate_dir: state\ncmsd_period: 3h\n");
  }

  private Cli.Result run(String... args) {
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    return new Cli(dir).run(all);
  }

  private Controls controls() {
    return new StateStore(dir.resolve("state")).controls().load();
  }

  @Test
  void pauseAndResumeArePersistedAndShown() {
    Cli.Result paused = run("pause", "--reason", "kernel upgrade");
    assertEquals(0, paused.exitCode(), paused.toString());
    assertEquals("kernel upgrade", controls().pause().orElseThrow().reason());
    Cli.Result status = run("status");
    assertTrue(
        status.out().contains("PAUSED since") && status.out().contains("(kernel upgrade)"),
        status.out());
    assertTrue(run("status", "--json").out().contains("\"reason\" : \"kernel upgrade\""));

    Cli.Result resumed = run("resume");
    assertEquals(0, resumed.exitCode(), resumed.toString());
    assertTrue(resumed.out().contains("resumed"), resumed.out());
    assertTrue(controls().pause().isEmpty());
    assertFalse(run("status").out().contains("PAUSED"));
  }

  @Test
  void anExcludedServerGetsNoSlotUntilIncluded() {
    Cli.Result excluded = run("exclude", "b.invalid", "--until", "2d", "--reason", "disk swap");
    assertEquals(0, excluded.exitCode(), excluded.toString());
    Controls.Exclusion e = controls().excluded().get("b.invalid");
    assertTrue(e.until().orElseThrow().isAfter(Instant.now().plusSeconds(47 * 3600)), e.toString());
    Cli.Result status = run("status");
    assertTrue(
        status
            .out()
            .matches("(?s).*Next slots:\\n  a\\.invalid .*\\n  c\\.invalid .*\\n\\nServers:.*"),
        status.out());
    assertTrue(
        status.out().contains("EXCLUDED since") && status.out().contains("(disk swap)"),
        status.out());
    assertTrue(run("status", "--json").out().contains("\"excluded\" : true"));

    assertEquals(0, run("include", "b.invalid").exitCode());
    assertTrue(controls().excluded().isEmpty());
    assertTrue(run("status").out().contains("b.invalid"));
  }

  @Test
  void everyServerExcludedLeavesNoSlot() {
    for (String s : new String[] {"a.invalid", "b.invalid", "c.invalid"}) {
      assertEquals(0, run("exclude", s).exitCode());
    }
    Cli.Result status = run("status");
    assertEquals(0, status.exitCode(), status.toString());
    assertTrue(status.out().contains("none: every server is excluded"), status.out());
  }

  @Test
  void badInputExitsTwoAndChangesNothing() {
    Cli.Result unknown = run("exclude", "nope.invalid");
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(
        unknown.err().contains("no server \"nope.invalid\"") && unknown.err().contains("a.invalid"),
        unknown.err());
    Cli.Result badTime = run("exclude", "a.invalid", "--until", "next tuesday");
    assertEquals(2, badTime.exitCode(), badTime.toString());
    assertTrue(badTime.err().contains("--until"), badTime.err());
    Cli.Result past = run("exclude", "a.invalid", "--until", "2020-01-01T00:00Z");
    assertEquals(2, past.exitCode(), past.toString());
    assertTrue(past.err().contains("not in the future"), past.err());
    assertFalse(
        Files.exists(new StateStore(dir.resolve("state")).controls().file()),
        "nothing was written");
  }

  @Test
  void theReadmeDayTwoCommandsRun() {
    int ran = 0;
    for (String command : ReadmeExamples.read().commands()) {
      if (command.startsWith("xrootdrestart ")) {
        java.util.List<String> args = new java.util.ArrayList<>();
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("\"([^\"]*)\"|(\\S+)")
                .matcher(
                    command
                        .substring("xrootdrestart ".length())
                        .replace("store3.example.org", "b.invalid"));
        while (m.find()) {
          args.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        Cli.Result r = run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), command + "\n" + r);
        ran++;
      }
    }
    assertEquals(5, ran, "the README's Day 2 commands");
    assertTrue(
        controls().pause().isEmpty() && controls().excluded().isEmpty(), "each undone by the next");
  }

  @Test
  void aCorruptControlsFileIsNamed() throws Exception {
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(
        dir.resolve("state/controls.json"), "{\"paused\": {\"since\": \"yesterday\"}}");
    Cli.Result r = run("status");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("controls.json"), r.err());
  }
}
