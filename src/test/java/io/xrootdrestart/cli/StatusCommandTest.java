package io.xrootdrestart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.InFlight;
import io.xrootdrestart.state.ServerRecord;
import io.xrootdrestart.state.StateStore;
import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * status reads the state file: no server is contacted (the inventory names hosts that do not
 * exist).
 */
@UsesTools
class StatusCommandTest {
  @TempDir Path dir;

  @Test
  void showsLastSuccessOutcomeNextSlotsAndTheRestartInFlight() throws Exception {
    Instant t = Instant.now().minusSeconds(600);
    new StateStore(dir.resolve("state"))
        .save(
            DaemonState.EMPTY
                .withLastSlot(t)
                .with(
                    "b.invalid",
                    ServerRecord.NEVER
                        .attempted(t)
                        .finished("failed", "cycle: Start xrootd@cluster: boom", false, false))
                .with(
                    "a.invalid",
                    ServerRecord.NEVER
                        .attempted(t.minusSeconds(3600))
                        .finished("success", "", true, false))
                .withInFlight(Optional.of(new InFlight("c.invalid", "drain", t))));
    Path config = dir.resolve("c.yml");
    Files.writeString(
        config, "inventory: a.invalid,b.invalid,c.invalid\nstate_dir: state\ncmsd_period: 3h\n");
    Cli.Result r = new Cli(dir).run("status", "--config", config.toString());
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("In flight: c.invalid, drain since"), r.out());
    assertTrue(
        r.out()
            .matches(
                "(?s).*b\\.invalid +last success never +last outcome failed: cycle: Start"
                    + " xrootd@cluster: boom.*"),
        r.out());
    assertTrue(
        r.out()
            .matches("(?s).*Next slots:\\n  c\\.invalid .*\\n  a\\.invalid .*\\n  b\\.invalid .*"),
        r.out());

    Cli.Result json = new Cli(dir).run("status", "--json", "--config", config.toString());
    assertTrue(json.out().contains("\"interval_seconds\" : 3600"), json.out());
  }
}
