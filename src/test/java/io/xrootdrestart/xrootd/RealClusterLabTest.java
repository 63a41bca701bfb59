package io.xrootdrestart.xrootd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Daemons;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import io.xrootdrestart.testing.Load;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon against real {@code cmsd} and {@code xrootd} behind a real redirector, judged by the
 * clients: real xrdcp readers under load, the daemons' own pids and the redirector's view, never
 * the daemon's log.
 */
@LabTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealClusterLabTest {
  @RegisterExtension static final Lab LAB = Lab.servers(3).withXrootd();

  @TempDir static Path dir;

  static Path config;
  static Daemons daemons;
  static JsonNode layout;

  @BeforeAll
  static void provision() throws Exception {
    Path etc = dir.resolve("etc");
    LAB.provision(etc, Map.of("cmsd_period", "30s", "cmsd_wait", "5s", "service_timeout", "20s"));
    config = etc.resolve("xrootdrestart.yml");
    daemons = new Daemons(dir.resolve("out"), config);
    layout = new ObjectMapper().readTree(LAB.layout().toFile());
  }

  /**
   * {@code xrdfs SERVER:1094 query config cms} from the client namespace, with a client that gives
   * up in seconds.
   */
  private static Lab.Result queryCms(String server) {
    String address =
        layout.at("/servers/" + server + "/ip").asText()
            + ":"
            + layout.at("/servers/" + server + "/port").asInt();
    // XrdCl checks its timeouts only every XRD_TIMEOUTRESOLUTION seconds (15 by default)
    return LAB.client(
        "env",
        "XRD_CONNECTIONRETRY=1",
        "XRD_REQUESTTIMEOUT=3",
        "XRD_STREAMTIMEOUT=3",
        "XRD_TIMEOUTRESOLUTION=1",
        "timeout",
        "20",
        "xrdfs",
        address,
        "query",
        "config",
        "cms");
  }

  private static void awaitSubscribed(int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Lab.Result r = LAB.subscribed();
    while (r.code() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(500);
      r = LAB.subscribed();
    }
    assertEquals(0, r.code(), "every data server is back in the cluster:\n" + r.out());
  }

  @Test
  @Order(1)
  void aFrozenXrootdIsActiveForSystemdButAnswersNothing() throws Exception {
    assertTrue(queryCms("lab2").out().strip().endsWith("/a"), queryCms("lab2").out());
    LAB.fault("lab2", "xrootd@cluster", "freeze");
    try {
      assertEquals("active", LAB.state("lab2", "xrootd@cluster"), "systemd cannot tell");
      Lab.Result frozen = queryCms("lab2");
      assertNotEquals(0, frozen.code(), "a frozen xrootd answers no query:\n" + frozen.out());
      assertNotEquals(
          124,
          frozen.code(),
          "xrdfs gave up by itself (its 3 s request timeout), before `timeout 20`");
    } finally {
      LAB.fault("lab2", "xrootd@cluster", "clear");
    }
    awaitSubscribed(30);
  }

  @Test
  @Order(2)
  void aCrashedDaemonIsInactiveAndItsServerLeavesTheCluster() throws Exception {
    String before = LAB.pids("lab3").get("cmsd");
    LAB.fault("lab3", "cmsd@cluster", "crash");
    assertNotEquals("active", LAB.state("lab3", "cmsd@cluster"));
    assertEquals("-", LAB.pids("lab3").get("cmsd"), "the real process is gone");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Lab.Result q = queryCms("lab3");
    while (q.out().strip().endsWith("/a") && System.nanoTime() < deadline) {
      Thread.sleep(500);
      q = queryCms("lab3");
    }
    assertTrue(
        q.out().strip().endsWith("/d"),
        "xrootd answers but is no longer in the cluster:\n" + q.out());
    LAB.ssh("lab3", "/usr/bin/systemctl", "start", "cmsd@cluster");
    assertNotEquals(before, LAB.pids("lab3").get("cmsd"));
    awaitSubscribed(30);
  }

  @Test
  @Order(3)
  void aRotationUnderLoadLosesNoReadAndEveryServerServesAgain() throws Exception {
    awaitSubscribed(30);
    Map<String, Map<String, String>> before = new LinkedHashMap<>();
    for (String s : LAB.names()) {
      LAB.clearLog(s);
      before.put(s, LAB.pids(s));
    }
    Path out = dir.resolve("load.jsonl");
    try (Load load = Load.start(LAB, 4, out)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (!(Files.exists(out) && Files.readString(out).matches("(?s).*\"type\": ?\"read\".*"))) {
        assertTrue(System.nanoTime() < deadline, "the load read nothing within 90 s");
        Thread.sleep(200);
      }
      Daemon d = daemons.start("run", "--rotations", "1", "--progress");
      assertEquals(0, d.exitCode(600), d.output()); // about a minute on a quiet machine
      awaitSubscribed(30);
      Thread.sleep(2000); // reads that were waiting for the last server finish
      load.stop();
    }
    JsonNode summary = load(out);
    assertEquals(0, summary.get("failed").asInt(), "failed reads: " + summary.get("failures"));
    assertTrue(summary.get("reads").asInt() >= 20, "the clients kept reading: " + summary);
    for (String s : LAB.names()) {
      Map<String, String> after = LAB.pids(s);
      for (String unit : List.of("cmsd", "xrootd")) {
        assertNotEquals(
            before.get(s).get(unit), after.get(unit), s + ": " + unit + " is a new process");
        assertNotEquals("-", after.get(unit), s + ": " + unit + " runs");
      }
      assertEquals(
          List.of(
              "stop cmsd@cluster",
              "stop xrootd@cluster",
              "start cmsd@cluster",
              "start xrootd@cluster"),
          LAB.actions(s),
          s);
    }
  }

  /**
   * health_check xrootd, with min_ok the number of other servers: a frozen server (units active) is
   * not counted, so the guard holds and names it; once it serves again, a restart succeeds only
   * after its server is back in the cluster.
   */
  @Test
  @Order(4)
  void withTheXrootdCheckAFrozenServerHoldsTheRotationAndARestartEndsInTheCluster()
      throws Exception {
    awaitSubscribed(30);
    Path xrootdConfig = dir.resolve("etc/xrootdrestart-xrootd.yml");
    Files.writeString(
        xrootdConfig,
        Files.readString(config)
            + "\nhealth_check: xrootd\nverify_timeout: 20s\nstart_order: cmsd_first\nmin_ok: 2\n");
    Daemons checked = new Daemons(dir.resolve("out-xrootd"), xrootdConfig);
    LAB.fault("lab2", "xrootd@cluster", "freeze");
    try {
      Daemon held = checked.start("restart", "lab1");
      assertEquals(5, held.exitCode(120), "held by the guard:\n" + held.output());
      assertTrue(held.output().contains("lab2"), held.output());
      assertTrue(held.output().contains("xrootd does not answer"), held.output());
    } finally {
      LAB.fault("lab2", "xrootd@cluster", "clear");
    }
    awaitSubscribed(30);
    LAB.clearLog("lab1");
    Daemon restarted = checked.start("restart", "lab1");
    assertEquals(0, restarted.exitCode(180), restarted.output());
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster"),
        LAB.actions("lab1"),
        "cmsd first");
    assertTrue(
        queryCms("lab1").out().strip().endsWith("/a"),
        "the restart ended with lab1 back in the cluster: " + queryCms("lab1").out());
  }

  /**
   * drain_until_idle (the default), witnessed by the lab's action log: under no client the wait
   * after cmsd stopped ends at once, however long cmsd_wait is; under a transfer longer than
   * cmsd_wait it runs to cmsd_wait, and the transfer itself still ends well.
   */
  @Test
  @Order(5)
  void drainUntilIdleEndsAtOnceOnAnIdleServerAndRunsToCmsdWaitUnderALongTransfer()
      throws Exception {
    awaitSubscribed(30);
    LAB.clearLog("lab1");
    Daemon idle = daemons.start("restart", "lab1", "--cmsd-wait", "60s");
    assertEquals(0, idle.exitCode(120), idle.output());
    long idleGap = gap("lab1");
    assertTrue(idleGap < 10_000, "an idle server is not held for cmsd_wait (60 s): " + idleGap);
    assertTrue(drainRecord("lab1").contains("\"ended_by\":\"idle\""), drainRecord("lab1"));

    awaitSubscribed(30);
    LAB.clearLog("lab1");
    // 10 MB at 300 kB/s from the one server that holds it: about 35 s, well past the daemon's
    // start, its health check and cmsd_wait (5 s)
    String redirector = layout.get("redirector").asText();
    CompletableFuture<Lab.Result> transfer =
        CompletableFuture.supplyAsync(
            () ->
                LAB.client(
                    "timeout",
                    "120",
                    "xrdcp",
                    "-f",
                    "--xrate",
                    "300k",
                    "root://" + redirector + "//store/lab1/u-10M-1",
                    "/dev/null"));
    Thread.sleep(2000); // the transfer is under way on lab1
    Daemon busy = daemons.start("restart", "lab1");
    assertEquals(0, busy.exitCode(120), busy.output());
    long busyGap = gap("lab1");
    assertTrue(busyGap >= 5_000 && busyGap < 15_000, "ran to cmsd_wait (5 s): " + busyGap);
    assertTrue(drainRecord("lab1").contains("\"ended_by\":\"cmsd_wait\""), drainRecord("lab1"));
    Lab.Result read = transfer.get(150, TimeUnit.SECONDS);
    assertEquals(0, read.code(), "the transfer ended well: " + read.out());
  }

  /**
   * health_check xrootd and remedial_per_day: a frozen server (units active, answering nothing) is
   * restarted at the first slot, ahead of the schedule's order, and serves again; the rotation then
   * goes on in its order.
   */
  @Test
  @Order(6)
  void aFrozenServerIsRestartedOutOfTurnAndServesAgain() throws Exception {
    awaitSubscribed(30);
    Path remedy = dir.resolve("etc/xrootdrestart-remedy.yml");
    Files.writeString(
        remedy,
        Files.readString(config) + "\nhealth_check: xrootd\nmin_ok: 2\nremedial_per_day: 1\n");
    for (String s : LAB.names()) {
      LAB.clearLog(s);
    }
    String frozenPid = LAB.pids("lab2").get("xrootd");
    LAB.fault("lab2", "xrootd@cluster", "freeze");
    Daemon d =
        new Daemons(dir.resolve("out-remedy"), remedy)
            .start("run", "--rotations", "1", "--progress");
    try {
      assertEquals(0, d.exitCode(600), d.output());
    } finally {
      LAB.fault("lab2", "xrootd@cluster", "clear");
    }
    long lab2First =
        LAB.log("lab2").stream()
            .filter(c -> c.verb().equals("stop"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("lab2 was not restarted:\n" + d.output()))
            .timeMillis();
    for (String other : List.of("lab1", "lab3")) {
      long first =
          LAB.log(other).stream()
              .filter(c -> c.verb().equals("stop"))
              .findFirst()
              .orElseThrow()
              .timeMillis();
      assertTrue(lab2First < first, "lab2 out of turn, before " + other);
    }
    assertNotEquals(frozenPid, LAB.pids("lab2").get("xrootd"), "a new xrootd on lab2");
    awaitSubscribed(30);
    assertTrue(d.output().contains("out of turn"), d.output());
  }

  /** Milliseconds from cmsd's stop to xrootd's stop in the lab's own action log of {@code s}. */
  private static long gap(String s) {
    List<Lab.Call> log = LAB.log(s);
    long stopCmsd =
        log.stream()
            .filter(c -> c.action().equals("stop cmsd@cluster"))
            .findFirst()
            .orElseThrow()
            .timeMillis();
    long stopXrootd =
        log.stream()
            .filter(c -> c.action().equals("stop xrootd@cluster"))
            .findFirst()
            .orElseThrow()
            .timeMillis();
    return stopXrootd - stopCmsd;
  }

  /** The drain's entry in the newest run record of a restart of {@code s}. */
  private static String drainRecord(String s) throws Exception {
    try (var runs = Files.list(dir.resolve("etc/state/runs"))) {
      Path newest =
          runs.filter(p -> p.getFileName().toString().endsWith("-" + s + "-restart"))
              .max(java.util.Comparator.comparing(p -> p.getFileName().toString()))
              .orElseThrow();
      JsonNode drain = new ObjectMapper().readTree(newest.resolve("result.json").toFile());
      return drain.path("drain").toString();
    }
  }

  private static JsonNode load(Path out) {
    return new Load.Summary(out).json();
  }
}
