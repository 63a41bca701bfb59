package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Daemons;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The daemon and the restart command as real processes against a provisioned 3-server lab. */
@LabTest
class DaemonLabTest {
  @RegisterExtension static final Lab LAB = Lab.shared(3);

  @TempDir static Path dir;

  static Path config;
  static Path state;
  static Daemons daemons;

  @BeforeAll
  static void provision() throws Exception {
    Path etc = dir.resolve("etc");
    LAB.provision(
        etc,
        Map.of(
            "cmsd_period",
            "6s",
            "cmsd_wait",
            "1s",
            "service_timeout",
            "2s",
            "connect_timeout",
            "3s"));
    config = etc.resolve("xrootdrestart.yml");
    state = etc.resolve("state");
    daemons = new Daemons(dir.resolve("out"), config);
  }

  @BeforeEach
  void freshLabAndHistory() throws Exception {
    LAB.reset();
    Files.deleteIfExists(state.resolve("state.json"));
  }

  @AfterEach
  void stopDaemons() throws Exception {
    daemons.stopAll();
  }

  private Daemon start(String... args) {
    return daemons.start(args);
  }

  private void allActive() {
    for (String s : LAB.names()) {
      assertEquals("active", LAB.state(s, "cmsd@cluster"), s);
      assertEquals("active", LAB.state(s, "xrootd@cluster"), s);
    }
  }

  @Test
  void aFullRotationRestartsEachServerInOrderCmsdStoppedFirst() throws Exception {
    Daemon d = start("run", "--rotations", "1", "--progress");
    assertEquals(0, d.exitCode(90), d.output());
    List<String> expected =
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster");
    List<Lab.Call> all = new ArrayList<>();
    for (String s : LAB.names()) {
      assertEquals(expected, LAB.actions(s), s);
      all.addAll(LAB.log(s).stream().filter(c -> !c.verb().equals("is-active")).toList());
    }
    all.sort((a, b) -> Long.compare(a.timeMillis(), b.timeMillis()));
    assertEquals(
        List.of(
            "lab1", "lab1", "lab1", "lab1", "lab2", "lab2", "lab2", "lab2", "lab3", "lab3", "lab3",
            "lab3"),
        all.stream().map(Lab.Call::server).toList(),
        "one server at a time, in inventory order");
    assertTrue(all.stream().allMatch(c -> c.user().equals("xrootdrestart")));
    allActive();
  }

  @Test
  void theGuardHoldsWhileTwoOfThreeAreDownAndResumesWhenTheyRecover() throws Exception {
    LAB.ssh("lab2", "/usr/bin/systemctl", "stop", "cmsd@cluster");
    LAB.ssh("lab3", "/usr/bin/systemctl", "stop", "xrootd@cluster");
    LAB.clearLog("lab2");
    LAB.clearLog("lab3");
    Daemon d = start("run", "--rotations", "1", "--progress");
    d.await("HELD by the guard: only 0 servers other than lab1 healthy, min_ok is 1", 30);
    d.await("health        0.0s  1 of 3 servers healthy", 10);
    assertEquals(List.of(), LAB.actions("lab1"), "nothing was restarted while held");
    assertTrue(
        d.output().split("HELD by the guard").length >= 2, "still running, checking at each slot");
    LAB.ssh("lab2", "/usr/bin/systemctl", "start", "cmsd@cluster");
    LAB.ssh("lab3", "/usr/bin/systemctl", "start", "xrootd@cluster");
    assertEquals(0, d.exitCode(90), d.output());
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster"),
        LAB.actions("lab1"));
    allActive();
  }

  @Test
  void xrootdFailingToStartIsRestoredAndReported() throws Exception {
    LAB.fault("lab2", "xrootd@cluster", "fail-once", "start");
    Daemon d = start("restart", "lab2");
    assertEquals(3, d.exitCode(60), d.output());
    assertTrue(d.output().contains("FAILED at cycle: Start xrootd@cluster"), d.output());
    assertTrue(d.output().contains("restore ok"), d.output());
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster",
            "start xrootd@cluster"),
        LAB.actions("lab2"),
        "cmsd first (start_order), the failed start of xrootd, then restore starts xrootd");
    allActive();
  }

  @Test
  void aHangingStopIsKilledAndTheRestartCompletes() throws Exception {
    LAB.fault("lab3", "xrootd@cluster", "hang", "stop", "forever");
    Daemon d = start("restart", "lab3");
    assertEquals(0, d.exitCode(90), d.output());
    assertTrue(d.output().contains("kill ok"), d.output());
    assertTrue(d.output().contains("killed with SIGKILL"), d.output());
    assertTrue(LAB.actions("lab3").contains("kill xrootd@cluster"), LAB.actions("lab3").toString());
    allActive();
  }

  @Test
  void afterKillMinus9DuringTheWaitTheDaemonRestoresThatServerFirst() throws Exception {
    Daemon d = start("run", "--progress", "--cmsd-wait", "60s");
    d.await("at most 60 s (cmsd_wait)", 30); // the lab has no xrootd to say it is idle
    d.sigkill();
    assertEquals(
        "inactive", LAB.state("lab1", "cmsd@cluster"), "killed in the middle: cmsd is down");
    // the killed daemon's run may be left waiting at its cycle gate
    List<ProcessHandle> left = runsOf(state);
    assertTrue(
        Files.readString(state.resolve("state.json")).contains("\"server\" : \"lab1\""),
        "in flight is recorded");
    LAB.clearLog("lab1");

    Daemon again = start("run", "--progress", "--cmsd-wait", "60s");
    again.await("lab1", 30);
    again.await("at most 60 s", 30);
    again.sigterm();
    assertEquals(0, again.exitCode(30), again.output());
    assertTrue(again.output().contains("was in flight"), again.output());
    assertTrue(
        left.stream().noneMatch(ProcessHandle::isAlive)
            && (left.isEmpty()
                || again.output().contains("ending a run a previous daemon left going")),
        "the new daemon ended the old run ("
            + left.size()
            + " processes) first: "
            + again.output());
    List<String> lab1 = LAB.actions("lab1");
    assertEquals("start cmsd@cluster", lab1.get(0), "restored first: " + lab1);
    assertFalse(
        again.output().contains("lab1          0.0s  restart started"),
        "lab1 was attempted in this period already and is not restarted again first");
    allActive();
  }

  /** The ansible-playbook processes of runs under {@code stateDir}. */
  private static List<ProcessHandle> runsOf(Path stateDir) {
    String runs = stateDir.resolve("runs").toAbsolutePath() + "/";
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .map(c -> c.contains("ansible-playbook") && c.contains(runs))
                    .orElse(false))
        .toList();
  }

  @Test
  void sigtermWhileIdleExitsZeroAtOnce() throws Exception {
    // A window that opened a minute ago and is closed now: the first slot is next week.
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
    String start = now.minusMinutes(3).toLocalTime().withSecond(0).withNano(0).toString();
    String end = now.minusMinutes(1).toLocalTime().withSecond(0).withNano(0).toString();
    Daemon d =
        start("run", "--window-start", start, "--window-end", end, "--window-timezone", "UTC");
    d.await("next restart: lab1 at", 30);
    d.sigterm();
    assertEquals(
        0, d.exitCode(10), "idle: exits at once, not at its next slot a week away\n" + d.output());
    assertEquals(List.of(), LAB.actions("lab1"));
  }

  @Test
  void planShowsTheSlotsAndWhatTheGuardWouldDecideAndChangesNothing() throws Exception {
    LAB.ssh("lab2", "/usr/bin/systemctl", "stop", "cmsd@cluster");
    LAB.ssh("lab3", "/usr/bin/systemctl", "stop", "cmsd@cluster");
    Daemon d = start("plan", "--json");
    assertEquals(0, d.exitCode(60), d.output());
    String out = d.output();
    assertTrue(
        out.contains("\"guard\" : \"HOLD: only 0 servers other than lab1 healthy, min_ok is 1"),
        out);
    assertTrue(out.contains("\"lab2\" : \"cmsd inactive, xrootd active\""), out);
    assertTrue(out.matches("(?s).*\"next_slots\" : \\[ \\{\\s*\"server\" : \"lab1\".*"), out);
    assertEquals(List.of(), LAB.actions("lab1"));
    assertFalse(Files.exists(state.resolve("state.json")), "plan writes no state");
  }

  @Test
  void sigtermDuringTheWaitLeavesEveryUnitActiveAndExitsZero() throws Exception {
    Daemon d = start("run", "--progress", "--cmsd-wait", "60s");
    d.await("at most 60 s (cmsd_wait)", 30); // the lab has no xrootd to say it is idle
    long t0 = System.nanoTime();
    d.sigterm();
    assertEquals(0, d.exitCode(30), d.output());
    double took = (System.nanoTime() - t0) / 1e9;
    assertTrue(took < 60, "the 60 s cmsd_wait was cut short, not waited out: " + took + " s");
    assertTrue(d.output().contains("INTERRUPTED at wait"), d.output());
    allActive();
  }
}
