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

  /**
   * The shipped example hooks playbooks/hooks/cms-blacklist-{out,in}.yml around a restart of lab1
   * under client load, judged by the clients and the manager's own log: once the manager has read
   * the blacklist, no read opens on lab1 until its cmsd is stopped, while reads go on through the
   * other servers; after the in-hook lab1 serves again. The only reads that fail are those of
   * lab1's own files while it is listed, as the hooks' header warns (the manager drops a listed
   * server; with cmsd merely stopped, such opens wait). The test's hook files include the shipped
   * ones and note on the controller when each ended; the pre-hook then waits 8 s more, which a
   * drain of running transfers would take, so that the window without new opens is long enough to
   * mean something under 4 readers.
   */
  @Test
  @Order(7)
  void theCmsBlacklistHooksKeepNewOpensOffTheServerFromBeforeCmsdStopsUntilItIsBack()
      throws Exception {
    awaitSubscribed(30);
    // What the hooks' header asks of the site: the daemon's login on the redirector (setup.yml),
    // the blacklist's directory and file owned by its account; the lab configured the manager.
    LAB.setup(config, "xrootdrestart_hook_hosts=xrootd_redirectors");
    String blacklist = "/etc/xrootd/xrootdrestart/cms.blacklist";
    Lab.Result chown =
        LAB.ssh("rdr", "chown", "xrootdrestart:", blacklist.replaceAll("/[^/]*$", ""), blacklist);
    assertEquals(0, chown.code(), chown.out());
    Path shipped = Path.of("playbooks/hooks").toAbsolutePath();
    Path marks = dir.resolve("hook-marks");
    Files.createDirectories(marks);
    Path pre = dir.resolve("pre-blacklist.yml");
    Files.writeString(
        pre,
        """
        - name: The shipped out-hook
          ansible.builtin.include_tasks: %1$s/cms-blacklist-out.yml
        - name: Note when it ended
          ansible.builtin.copy:
            content: "{{ lookup('ansible.builtin.pipe', 'date +%%s%%3N') }}"
            dest: %2$s/out-ended
            mode: "0644"
          delegate_to: localhost
        - name: What a drain of running transfers would take
          ansible.builtin.pause:
            seconds: 8
        """
            .formatted(shipped, marks));
    Path post = dir.resolve("post-blacklist.yml");
    Files.writeString(
        post,
        """
        - name: The shipped in-hook
          ansible.builtin.include_tasks: %1$s/cms-blacklist-in.yml
        - name: Note when it ended
          ansible.builtin.copy:
            content: "{{ lookup('ansible.builtin.pipe', 'date +%%s%%3N') }}"
            dest: %2$s/in-ended
            mode: "0644"
          delegate_to: localhost
        """
            .formatted(shipped, marks));
    Path managerLog = LAB.dir().resolve("servers/rdr/xrootd/log/cluster/cmsd.log");
    long managerLogStart = Files.size(managerLog);
    LAB.clearLog("lab1");
    Path out = dir.resolve("load-blacklist.jsonl");
    long started;
    long inEnded;
    try (Load load = Load.start(LAB, 4, out)) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (reads(out).isEmpty()) {
        assertTrue(System.nanoTime() < deadline, "the load read nothing within 90 s");
        Thread.sleep(200);
      }
      started = System.currentTimeMillis();
      Daemon d =
          daemons.start(
              "restart",
              "lab1",
              "--pre-restart-tasks",
              pre.toString(),
              "--post-restart-tasks",
              post.toString());
      assertEquals(0, d.exitCode(420), d.output());
      inEnded = Long.parseLong(Files.readString(marks.resolve("in-ended")).strip());
      // lab1's probe: an open of its own file sent after the in-hook ended, served by lab1
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (reads(out).stream()
          .noneMatch(
              r ->
                  r.path("probe").asBoolean()
                      && "lab1".equals(r.path("unique_to").asText())
                      && r.path("ok").asBoolean()
                      && "lab1".equals(r.path("server").asText())
                      && r.path("open_sent").asDouble() * 1000 >= inEnded)) {
        assertTrue(
            System.nanoTime() < deadline,
            "no read of lab1's own file opened on lab1 within 30 s after the in-hook ended");
        Thread.sleep(500);
      }
      load.stop();
    }
    long outEnded = Long.parseLong(Files.readString(marks.resolve("out-ended")).strip());
    String manager =
        Files.readString(managerLog)
            .substring((int) Math.min(managerLogStart, Files.size(managerLog)));
    // The manager logs to the second: lab1 was out by the end of the second it logged
    long blacklisted = logged(manager, "lab1 blacklisted.") + 1000;
    long stopCmsd =
        LAB.log("lab1").stream()
            .filter(c -> c.action().equals("stop cmsd@cluster"))
            .findFirst()
            .orElseThrow()
            .timeMillis();
    assertTrue(
        started < blacklisted && blacklisted - 1000 <= outEnded && outEnded < stopCmsd,
        "the out-hook ended once the manager had blacklisted lab1, and before cmsd stopped: manager"
            + " at "
            + (blacklisted - 1000 - started)
            + " ms, hook ended at "
            + (outEnded - started)
            + " ms, cmsd stopped at "
            + (stopCmsd - started)
            + " ms\n"
            + manager);
    assertTrue(
        stopCmsd - blacklisted >= 7000, "out for " + (stopCmsd - blacklisted) + " ms before cmsd");
    assertTrue(
        manager.contains("lab1 removed from blacklist."),
        "the manager took lab1 back (the in-hook waited for it):\n" + manager);
    List<JsonNode> reads = reads(out);
    List<JsonNode> failed = reads.stream().filter(r -> r.path("failed").asBoolean()).toList();
    List<JsonNode> unexpected =
        failed.stream()
            .filter(
                r ->
                    !"lab1".equals(r.path("unique_to").asText())
                        || !r.path("error").asText().contains("No servers are available")
                        || r.path("open_sent").asDouble() * 1000 < blacklisted - 1000
                        || r.path("open_sent").asDouble() * 1000 > inEnded)
            .toList();
    assertEquals(
        List.of(),
        unexpected.stream()
            .map(
                r ->
                    r.path("file").asText()
                        + " sent "
                        + (Math.round(r.path("open_sent").asDouble() * 1000) - inEnded)
                        + " ms after the in-hook ended: "
                        + r.path("error").asText())
            .toList(),
        "reads that failed other than lab1's own while listed; lab1 blacklisted "
            + (blacklisted - inEnded)
            + " ms after the in-hook ended, cmsd stopped "
            + (stopCmsd - inEnded)
            + " ms; the manager's log:\n"
            + manager);
    assertTrue(
        !failed.isEmpty(),
        "lab1's own files could not be opened while it was listed (XRootD 5.5.3; the hooks' header"
            + " says so): if they now wait instead, update the header and the README");
    List<JsonNode> onLab1WhileOut =
        reads.stream()
            .filter(r -> "lab1".equals(r.path("server").asText()))
            .filter(r -> r.path("open_sent").asDouble() * 1000 >= blacklisted)
            .filter(r -> r.hasNonNull("open_ok") && r.path("open_ok").asDouble() * 1000 <= stopCmsd)
            .toList();
    assertEquals(List.of(), onLab1WhileOut, "opened on lab1 while it was blacklisted");
    long elsewhere =
        reads.stream()
            .filter(r -> r.path("ok").asBoolean())
            .filter(r -> !"lab1".equals(r.path("server").asText()))
            .filter(r -> r.path("open_sent").asDouble() * 1000 >= blacklisted)
            .filter(r -> r.path("open_ok").asDouble() * 1000 <= stopCmsd)
            .count();
    assertTrue(elsewhere >= 3, "reads went on through lab2 and lab3 meanwhile: " + elsewhere);
    System.out.printf(
        "cms.blacklist hooks, ms after the restart started: lab1 blacklisted by %d, out-hook ended"
            + " %d, cmsd stopped %d, in-hook ended %d; %d reads opened elsewhere meanwhile, %d"
            + " reads in all, %d failed (lab1's own files)%n",
        blacklisted - started,
        outEnded - started,
        stopCmsd - started,
        inEnded - started,
        elsewhere,
        reads.size(),
        failed.size());
    assertTrue(
        reads.stream()
            .anyMatch(
                r ->
                    "lab1".equals(r.path("server").asText())
                        && r.path("open_ok").asDouble() * 1000 < blacklisted - 1000),
        "lab1 served reads before it was blacklisted");
    assertEquals(
        "", LAB.ssh("rdr", "cat", blacklist).out().strip(), "the blacklist is empty again");
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster"),
        LAB.actions("lab1"));
  }

  /** The "read" records of a load's output so far. */
  private static List<JsonNode> reads(Path out) throws Exception {
    if (!Files.exists(out)) {
      return List.of();
    }
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> reads = new java.util.ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      if (!line.contains("\"read\"")) {
        continue;
      }
      JsonNode r;
      try {
        r = json.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        continue; // the line being written
      }
      if (r.path("type").asText().equals("read")) {
        reads.add(r);
      }
    }
    return reads;
  }

  /**
   * When a cmsd log's first line containing {@code text} was written (ms since the epoch; its time
   * stamps are local time, to the second).
   */
  private static long logged(String log, String text) {
    for (String line : log.split("\n")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("^(\\d{6} \\d{2}:\\d{2}:\\d{2}) ").matcher(line);
      if (line.contains(text) && m.find()) {
        return java.time.LocalDateTime.parse(
                m.group(1), java.time.format.DateTimeFormatter.ofPattern("yyMMdd HH:mm:ss"))
            .atZone(java.time.ZoneId.systemDefault())
            .toInstant()
            .toEpochMilli();
      }
    }
    throw new AssertionError("the manager did not log \"" + text + "\":\n" + log);
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
