package io.xrootdrestart.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.ReadmeExamples;
import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Daemons;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import io.xrootdrestart.testing.Monitoring;
import io.xrootdrestart.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Metrics and alerts end to end: the daemon (a real process) restarts lab servers over real SSH and
 * reports to the real Prometheus, Alertmanager and Pushgateway.
 */
@LabTest
class MonitoringLabTest {
  @RegisterExtension static final Lab LAB = Lab.shared(3);

  @RegisterExtension static final Monitoring MONITORING = new Monitoring();

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
            "3s",
            "alert_url",
            MONITORING.url("alertmanager"),
            "alert_resend",
            "2s",
            "metrics_port",
            MONITORING.daemonPort(),
            "external_url",
            "http://controller.example.org:" + MONITORING.daemonPort(),
            "silence_matchers",
            List.of("instance=~\"{node}(:[0-9]+)?\"")));
    config = etc.resolve("xrootdrestart.yml");
    state = etc.resolve("state");
    daemons = new Daemons(dir.resolve("out"), config);
  }

  @BeforeEach
  void freshLabAndHistory() throws Exception {
    LAB.reset();
    Files.deleteIfExists(state.resolve("state.json"));
    Files.deleteIfExists(state.resolve("alerts.json"));
  }

  @AfterEach
  void stopDaemons() throws Exception {
    daemons.stopAll();
  }

  private Daemon start(String... args) {
    return daemons.start(args);
  }

  private List<JsonNode> restartErrors(String node) {
    return MONITORING.alertmanagerAlerts("XROOTDRESTART_RESTART_ERROR").stream()
        .filter(a -> a.at("/labels/node").asText().equals(node))
        .toList();
  }

  @Test
  void aFailingServerRaisesTheRestartAlertWhichResolvesOnceTheServerIsFixed() throws Exception {
    LAB.fault("lab2", "cmsd@cluster", "fail", "stop");
    Daemon failing = start("restart", "lab2");
    assertEquals(3, failing.exitCode(60), failing.output());
    List<JsonNode> alerts =
        Monitoring.await(
            "the restart alert for lab2 in Alertmanager",
            10,
            () -> restartErrors("lab2"),
            l -> l.size() == 1);
    JsonNode a = alerts.get(0);
    assertEquals("lab", a.at("/labels/cluster").asText());
    assertEquals("xrootdrestart", a.at("/labels/service").asText());
    assertEquals("critical", a.at("/labels/severity").asText());
    assertTrue(
        a.at("/annotations/description").asText().contains("Stop cmsd@cluster"), a.toString());
    assertTrue(
        Files.exists(Path.of(a.at("/annotations/run_dir").asText(), "events.jsonl")), a.toString());
    assertEquals(
        "http://controller.example.org:" + MONITORING.daemonPort() + "/status",
        a.get("generatorURL").asText());

    // The README's way to replay a saved run reproduces the failure (the fault is still on).
    ReadmeExamples readme = ReadmeExamples.read();
    String cd = readme.command("cd /var/lib/xrootdrestart/runs/");
    String replay = readme.command("ANSIBLE_CONFIG=");
    String script =
        (cd.replaceAll("/var/lib/xrootdrestart/runs/\\S+", a.at("/annotations/run_dir").asText())
                + "\n"
                + replay)
            .replace("/var/lib/xrootdrestart", state.toString())
            .replace("/etc/xrootdrestart/hosts.yml", LAB.inventory().toString());
    Lab.Result replayed = Lab.run(Map.of(), "bash", "-c", script);
    assertEquals(2, replayed.code(), script + "\n" + replayed.out());
    assertTrue(replayed.out().contains("Stop cmsd@cluster"), replayed.out());

    LAB.reset();
    Daemon fixed = start("restart", "lab2");
    assertEquals(0, fixed.exitCode(60), fixed.output());
    Monitoring.await(
        "the restart alert for lab2 resolved", 10, () -> restartErrors("lab2"), List::isEmpty);
  }

  /**
   * silence_matchers: the site's own alert about lab1 is silenced while lab1 is restarted (lab2's
   * and the daemon's own are not), fires again after; a silence left by kill -9 is expired by the
   * next daemon at its start.
   */
  @Test
  void theSitesAlertsForAServerAreSilencedDuringItsRestartAndNoneIsLeftAfterKillMinus9()
      throws Exception {
    MONITORING.fire(
        List.of(
            Map.of("alertname", "SiteXrootdDown", "instance", "lab1:1094"),
            Map.of("alertname", "SiteXrootdDown", "instance", "lab2:1094")));
    Daemon restart = start("restart", "lab1", "--cmsd-wait", "3s"); // a restart of 4 s or so
    Monitoring.await(
        "lab1's alert silenced during its restart, lab2's not",
        20,
        MONITORING::alertStates,
        st ->
            st.contains("SiteXrootdDown/lab1:1094: suppressed")
                && st.contains("SiteXrootdDown/lab2:1094: active"));
    assertEquals(0, restart.exitCode(60), restart.output());
    Monitoring.await(
        "lab1's alert firing again after its restart",
        10,
        MONITORING::alertStates,
        st -> st.contains("SiteXrootdDown/lab1:1094: active"));
    assertEquals(List.of(), MONITORING.silences("xrootdrestart", "active"));
    assertTrue(
        MONITORING.silences("xrootdrestart", "expired").stream()
            .anyMatch(sl -> sl.toString().contains("lab1(:[0-9]+)?")),
        "expired, not left to run out");

    Daemon killed = start("restart", "lab1", "--cmsd-wait", "60s");
    List<JsonNode> active =
        Monitoring.await(
            "a silence for lab1 again",
            20,
            () -> MONITORING.silences("xrootdrestart", "active"),
            l -> l.size() == 1);
    String id = active.get(0).get("id").asText();
    // the id reaches the state file right after Alertmanager made the silence, before the drain
    Monitoring.await("its id in the state file", 10, () -> readState(), st -> st.contains(id));
    killed.await("waiting until no file is open", 20); // killed after its drain, in its wait
    killed.sigkill();
    LAB.reset();
    stopCmsd("lab2", "lab3"); // lab1's restore does not make 2 others healthy for anyone
    Daemon next = start("run", "--min-ok", "2"); // the guard holds: no new restart, no new silence
    Monitoring.await(
        "the next daemon expired the silence the killed one left",
        30,
        () -> MONITORING.silences("xrootdrestart", "active"),
        List::isEmpty);
    next.await("holding the restart", 60);
    assertTrue(
        !Files.readString(state.resolve("state.json")).contains(id), "and forgot it once expired");
  }

  @Test
  void anAlertRaisedWhileAlertmanagerIsDownArrivesOnceAfterADaemonRestart() throws Exception {
    MONITORING.stop("alertmanager");
    try {
      LAB.fault("lab3", "xrootd@cluster", "fail", "start");
      Daemon failing = start("restart", "lab3");
      assertEquals(3, failing.exitCode(60), failing.output());
      JsonNode book = new ObjectMapper().readTree(state.resolve("alerts.json").toFile());
      assertEquals(1, book.get("outbox").size(), book.toString());
      String startsAt = book.at("/outbox/0/alert/starts_at").asText();
      LAB.reset();

      stopCmsd("lab1", "lab2"); // lab3 restored or not, no server has 2 healthy others
      Daemon daemon =
          start("run", "--min-ok", "2"); // the guard holds: no restart clears the alert meanwhile
      // an upper bound: a pending restore of lab3 comes first, then the health is read again
      daemon.await("holding the restart", 90);
      MONITORING.start("alertmanager");
      List<JsonNode> alerts =
          Monitoring.await(
              "the restart alert for lab3, once",
              20,
              () -> restartErrors("lab3"),
              l -> l.size() == 1);
      assertEquals(
          java.time.Instant.parse(startsAt).truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
          java.time.Instant.parse(alerts.get(0).get("startsAt").asText()),
          "the same alert, not a new one");
      Monitoring.await("the outbox empty", 10, () -> readOutbox(), n -> n == 0);
      assertEquals(1, restartErrors("lab3").size());
    } finally {
      MONITORING.start("alertmanager");
    }
  }

  /**
   * Stops cmsd on {@code servers} (as root, as a site's admin would), so that with min_ok 2 the
   * guard holds every restart: no server has two healthy others.
   */
  private static void stopCmsd(String... servers) {
    for (String s : servers) {
      LAB.ssh(s, "/usr/bin/systemctl", "stop", "cmsd@cluster");
    }
  }

  private static String readState() {
    try {
      return Files.readString(state.resolve("state.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int readOutbox() {
    try {
      return new ObjectMapper()
          .readTree(state.resolve("alerts.json").toFile())
          .get("outbox")
          .size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void prometheusScrapesTheDaemonAndTheGuardRuleFires() throws Exception {
    stopCmsd("lab2", "lab3");
    Daemon d = start("run", "--min-ok", "2"); // lab1 has no healthy other: the guard holds
    Monitoring.await(
        "the daemon's target up in Prometheus",
        20,
        () -> MONITORING.get("prometheus", "/api/v1/query?query=up%7Bjob%3D%22xrootdrestart%22%7D"),
        r -> r.at("/data/result/0/value/1").asText().equals("1"));
    JsonNode beat = MONITORING.get("prometheus", "/api/v1/query?query=xrootdrestart_heartbeat");
    assertEquals("lab", beat.at("/data/result/0/metric/cluster").asText(""), beat.toString());
    Monitoring.await(
        "XrootdrestartGuardHolding firing in Prometheus",
        30,
        () -> MONITORING.get("prometheus", "/api/v1/alerts"),
        r ->
            r.toString().contains("\"alertname\":\"XrootdrestartGuardHolding\"")
                && r.toString().contains("\"firing\""));
    Monitoring.await(
        "the daemon's own insufficient-servers alert in Alertmanager",
        10,
        () -> MONITORING.alertmanagerAlerts("XROOTDRESTART_INSUFFICIENT_SERVERS"),
        l -> l.size() == 1);
    String status = MONITORING.text("prometheus", "/api/v1/targets");
    assertTrue(status.contains("\"health\":\"up\""), status);
    JsonNode own =
        new ObjectMapper()
            .readTree(
                new okhttp3.OkHttpClient()
                    .newCall(
                        new okhttp3.Request.Builder()
                            .url("http://127.0.0.1:" + MONITORING.daemonPort() + "/status")
                            .build())
                    .execute()
                    .body()
                    .string());
    assertTrue(own.at("/servers").has("lab1"), own.toString());
    d.sigterm();
    assertEquals(0, d.exitCode(30), d.output());
  }

  @Test
  void thePushgatewayReceivesThePushesAndOneThatIsDownStopsNothing() throws Exception {
    stopCmsd("lab2", "lab3"); // the guard holds: the pushes are all this test looks at
    Daemon pushing =
        start(
            "run",
            "--metrics-method",
            "PUSH",
            "--pushgw-url",
            MONITORING.url("pushgateway"),
            "--metrics-port",
            "" + Ports.free(),
            "--min-ok",
            "2");
    String metrics =
        Monitoring.await(
            "the heartbeat in the Pushgateway",
            20,
            () -> MONITORING.text("pushgateway", "/metrics"),
            t -> t.contains("xrootdrestart_heartbeat{"));
    assertTrue(
        metrics
            .lines()
            .anyMatch(
                l ->
                    l.startsWith("xrootdrestart_heartbeat{")
                        && l.contains("cluster=\"lab\"")
                        && l.contains("job=\"xrootdrestart\"")
                        && l.contains("instance=")),
        metrics);
    pushing.sigterm();
    assertEquals(0, pushing.exitCode(30), pushing.output());
    LAB.reset(); // both units active again everywhere

    int closed = Ports.free();
    Daemon down =
        start(
            "run",
            "--rotations",
            "1",
            "--metrics-method",
            "PUSH",
            "--pushgw-url",
            "http://127.0.0.1:" + closed,
            "--metrics-port",
            "" + Ports.free());
    assertEquals(0, down.exitCode(90), down.output());
    assertTrue(down.output().contains("cannot push metrics to the Pushgateway"), down.output());
    for (String s : LAB.names()) {
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
}
