package io.xrootdrestart.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.exporter.common.TextFormat;
import io.xrootdrestart.alerts.AlertBook;
import io.xrootdrestart.alerts.AlertConditions;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.restart.PhaseReport;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.RestartResult;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.testing.MutableClock;
import io.xrootdrestart.testing.UsesTools;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  private static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");

  @TempDir Path state;

  private final MutableClock clock = new MutableClock(T0);

  private Metrics metrics(AlertBook book, boolean jvm) {
    Metrics m =
        new Metrics(
            new Metrics.Settings("lab", Duration.ofSeconds(300), Duration.ofSeconds(120)),
            clock,
            book,
            () -> 3,
            jvm);
    m.restore("servers", 1, Duration.ofDays(3), io.xrootdrestart.state.DaemonState.EMPTY);
    return m;
  }

  static String scrape(Metrics m) throws Exception {
    StringWriter w = new StringWriter();
    TextFormat.write004(w, m.registry().metricFamilySamples());
    return w.toString();
  }

  /** A day in the life: a success on lab1, a failure on lab2, a guard hold on lab3. */
  private String aDay(Metrics m, AlertBook book) throws Exception {
    RestartListener l =
        RestartListener.all(new AlertConditions(book, clock, "servers"), m.rotation("servers"));
    l.scheduled(
        List.of(
            new Slot(T0, "lab1"),
            new Slot(T0.plusSeconds(3600), "lab2"),
            new Slot(T0.plusSeconds(7200), "lab3")));
    l.healthChecked(
        new FleetHealth(
            Map.of(
                "lab1",
                ServerHealth.of("lab1", "active", "active"),
                "lab2",
                ServerHealth.of("lab2", "active", "active"),
                "lab3",
                ServerHealth.of("lab3", "failed", "active"))));
    l.guardPassed("lab1", 1, 1);
    l.restartStarted("lab1");
    clock.advance(Duration.ofSeconds(310));
    l.phaseFinished(
        "lab1",
        new PhaseReport(
            "cycle", "ok", Optional.empty(), "", Duration.ofMillis(1500), Optional.empty()));
    l.restartSucceeded("lab1", RestartResult.success(""));
    l.restartStarted("lab2");
    l.restartFailed(
        "lab2",
        new RestartResult(
            RestartResult.Status.FAILED,
            Optional.of("drain: Stop cmsd@cluster"),
            "boom",
            Optional.empty(),
            false));
    l.guardHeld("lab3", new Decision.Hold(true, "too few"));
    return scrape(m);
  }

  @Test
  void everySeriesCarriesTheClusterAndTheNamesAreThePredecessorsAndTheNewOnes() throws Exception {
    AlertBook book = AlertBook.open(state, clock, true);
    String text = aDay(metrics(book, true), book);
    for (String line : text.lines().filter(l -> !l.startsWith("#")).toList()) {
      assertTrue(line.contains("cluster=\"lab\""), "no cluster label: " + line);
    }
    double t0 = T0.getEpochSecond();
    for (String expected :
        List.of(
            "xrootdrestart_heartbeat{cluster=\"lab\",} " + t0,
            "xrootdrestart_restart_active{cluster=\"lab\",rotation=\"servers\",node=\"lab1\",} 0.0",
            "xrootdrestart_start_time{cluster=\"lab\",rotation=\"servers\",node=\"lab1\",} " + t0,
            "xrootdrestart_restart_alert_state{cluster=\"lab\",node=\"lab2\",} 1.0",
            "xrootdrestart_restart_alert_state{cluster=\"lab\",node=\"lab1\",} 0.0",
            "xrootdrestart_connect_alert_state{cluster=\"lab\",node=\"lab2\",} 0.0",
            "xrootdrestart_insufficient_alert_state{cluster=\"lab\",rotation=\"servers\",} 1.0",
            "xrootdrestart_restart_duration_seconds_count{cluster=\"lab\",rotation=\"servers\",node=\"lab1\",}"
                + " 1.0",
            "xrootdrestart_restart_duration_seconds_sum{cluster=\"lab\",rotation=\"servers\",node=\"lab1\",}"
                + " 310.0",
            "xrootdrestart_last_success_timestamp_seconds{cluster=\"lab\",rotation=\"servers\",node=\"lab1\",}"
                + " "
                + t0,
            "xrootdrestart_next_restart_timestamp_seconds{cluster=\"lab\",rotation=\"servers\",node=\"lab3\",}"
                + " "
                + (t0 + 7200),
            "xrootdrestart_restarts_total{cluster=\"lab\",rotation=\"servers\",node=\"lab1\",result=\"success\",}"
                + " 1.0",
            "xrootdrestart_restarts_total{cluster=\"lab\",rotation=\"servers\",node=\"lab2\",result=\"failed\",}"
                + " 1.0",
            "xrootdrestart_restarts_total{cluster=\"lab\",rotation=\"servers\",node=\"lab3\",result=\"held\",}"
                + " 1.0",
            "xrootdrestart_servers_healthy{cluster=\"lab\",rotation=\"servers\",} 2.0",
            "xrootdrestart_servers{cluster=\"lab\",rotation=\"servers\",} 3.0",
            "xrootdrestart_min_ok{cluster=\"lab\",rotation=\"servers\",} 1.0",
            "xrootdrestart_guard_holding{cluster=\"lab\",rotation=\"servers\",} 1.0",
            "xrootdrestart_phase_duration_seconds_count{cluster=\"lab\",rotation=\"servers\",phase=\"cycle\",}"
                + " 1.0",
            "xrootdrestart_alerts_pending{cluster=\"lab\",} 2.0",
            "xrootdrestart_alert_send_failures_total{cluster=\"lab\",} 3.0",
            "jvm_threads_current{cluster=\"lab\",}")) {
      assertTrue(text.contains(expected), "missing: " + expected + "\n" + text);
    }
    assertTrue(!text.contains("_created"), "no _created series");
  }

  @UsesTools
  @Test
  void promtoolFindsNothingToSay() throws Exception {
    AlertBook book = AlertBook.open(state, clock, true);
    String text = aDay(metrics(book, true), book);
    Path file = Files.writeString(state.resolve("metrics.txt"), text);
    Process p =
        new ProcessBuilder("promtool", "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.strip(), "promtool check metrics has remarks");
  }

  @Test
  void alertStatesAfterARestartOfTheDaemonAreTheRightOnes() throws Exception {
    // The Python tool swapped the connect and restart gauges when it reloaded its alerts at
    // start-up.
    AlertBook book = AlertBook.open(state, clock, true);
    AlertConditions c = new AlertConditions(book, clock);
    c.restartFailed(
        "lab1",
        new RestartResult(
            RestartResult.Status.UNREACHABLE,
            Optional.empty(),
            "no route",
            Optional.empty(),
            true));
    c.restartFailed(
        "lab2",
        new RestartResult(
            RestartResult.Status.STUCK, Optional.of("kill"), "stuck", Optional.empty(), false));
    String text = scrape(metrics(AlertBook.open(state, clock, true), false));
    assertTrue(
        text.contains("xrootdrestart_connect_alert_state{cluster=\"lab\",node=\"lab1\",} 1.0"),
        text);
    assertTrue(
        text.contains("xrootdrestart_restart_alert_state{cluster=\"lab\",node=\"lab1\",} 0.0"),
        text);
    assertTrue(
        text.contains("xrootdrestart_restart_alert_state{cluster=\"lab\",node=\"lab2\",} 1.0"),
        text);
    assertTrue(
        text.contains("xrootdrestart_connect_alert_state{cluster=\"lab\",node=\"lab2\",} 0.0"),
        text);
  }

  @Test
  void restartBucketsFitTheWaitAndTheTimeout() {
    assertArrayEquals(
        new double[] {301, 306, 312, 330, 360, 420, 540, 780},
        Metrics.restartBuckets(Duration.ofSeconds(300), Duration.ofSeconds(120)));
  }

  @Test
  void aServerThatLeavesTheInventoryLeavesTheGauges() throws Exception {
    AlertBook book = AlertBook.open(state, clock, false);
    Metrics m = metrics(book, false);
    RestartListener r = m.rotation("servers");
    r.scheduled(List.of(new Slot(T0, "lab1"), new Slot(T0, "old")));
    r.scheduled(List.of(new Slot(T0, "lab1")));
    String text = scrape(m);
    assertTrue(!text.contains("node=\"old\""), text);
  }

  @Test
  void aPauseAndAnExclusionShowAtTheNextScrape() throws Exception {
    Metrics m = metrics(AlertBook.open(state, clock, true), false);
    RestartListener r = m.rotation("servers");
    r.scheduled(List.of(new Slot(T0, "lab1"), new Slot(T0, "lab2")));
    io.xrootdrestart.state.ControlsStore controls =
        new io.xrootdrestart.state.StateStore(state).controls();
    m.watchControls(controls::load);
    assertTrue(scrape(m).contains("xrootdrestart_paused{cluster=\"lab\",} 0.0"), scrape(m));
    controls.update(
        c ->
            c.paused("", T0)
                .exclude(
                    "lab2",
                    new io.xrootdrestart.state.Controls.Exclusion(T0, Optional.empty(), "")));
    String text = scrape(m);
    assertTrue(text.contains("xrootdrestart_paused{cluster=\"lab\",} 1.0"), text);
    assertTrue(text.contains("xrootdrestart_excluded{cluster=\"lab\",node=\"lab2\",} 1.0"), text);
    assertTrue(text.contains("xrootdrestart_excluded{cluster=\"lab\",node=\"lab1\",} 0.0"), text);
    r.scheduled(List.of(new Slot(T0, "lab1")));
    assertTrue(
        scrape(m).contains("node=\"lab2\",result=\"success\""),
        "an excluded node keeps its series");
  }

  @Test
  void theReadmeListsEverySeriesAndNoOther() throws Exception {
    AlertBook book = AlertBook.open(state, clock, true);
    Metrics m = metrics(book, false);
    java.util.Set<String> exported = new java.util.TreeSet<>();
    java.util.Collections.list(m.registry().metricFamilySamples())
        .forEach(
            f ->
                exported.add(
                    f.type == io.prometheus.client.Collector.Type.COUNTER
                        ? f.name + "_total"
                        : f.name));
    java.util.Set<String> documented = new java.util.TreeSet<>();
    java.util.regex.Matcher row =
        java.util.regex.Pattern.compile("(?m)^\\| `(xrootdrestart_[a-z_]+)` \\|")
            .matcher(Files.readString(Path.of("README.md")));
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertEquals(exported, documented);
  }
}
