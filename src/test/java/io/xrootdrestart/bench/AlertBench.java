package io.xrootdrestart.bench;

import io.prometheus.client.exporter.common.TextFormat;
import io.xrootdrestart.alerts.AlertBook;
import io.xrootdrestart.alerts.AlertConditions;
import io.xrootdrestart.metrics.Metrics;
import io.xrootdrestart.metrics.MetricsServer;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.RestartResult;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.Monitoring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Issue 5's two figures.
 *
 * <ol>
 *   <li>From a failed step to Alertmanager accepting the alert: a lab server's cmsd refuses to
 *       stop, {@code xrootdrestart restart} runs as a real process against the real Alertmanager,
 *       and the bench polls Alertmanager every 10 ms; the time is from the failing {@code systemctl
 *       stop} (the lab's action log, in ms) to the alert's first appearance. Between rounds the
 *       server is fixed and the alert resolved.
 *   <li>{@code GET /metrics} latency and size with 200 servers in the inventory, each with a
 *       restart history, plus the JVM's series.
 * </ol>
 *
 * Usage: AlertBench [ROUNDS [SERVERS]] (default 10 rounds, 200 servers; 0 rounds: the scrape figure
 * only).
 */
public final class AlertBench {
  private static final OkHttpClient HTTP = new OkHttpClient();

  private AlertBench() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    scrape(args.length > 1 ? Integer.parseInt(args[1]) : 200, 200);
    if (rounds == 0) {
      System.exit(0);
    }
    Lab lab = Lab.servers(3).up(Path.of("/tmp/xrootdrestart-bench-alerts"));
    Monitoring monitoring = new Monitoring();
    try {
      monitoring.beforeAll(null);
      alertLatency(lab, monitoring, rounds);
    } finally {
      monitoring.afterAll(null);
      lab.down();
    }
    System.exit(0);
  }

  private static void alertLatency(Lab lab, Monitoring monitoring, int rounds) throws Exception {
    Path etc = Files.createTempDirectory("xrootdrestart-bench-alerts");
    lab.provision(
        etc,
        Map.of(
            "cmsd_wait",
            "1s",
            "service_timeout",
            "3s",
            "connect_timeout",
            "3s",
            "alert_url",
            monitoring.url("alertmanager")));
    Path config = etc.resolve("xrootdrestart.yml");
    List<Double> latencies = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      lab.reset();
      lab.clearLog("lab2");
      lab.fault("lab2", "cmsd@cluster", "fail", "stop");
      Daemon restart =
          Daemon.start(etc.resolve("out"), "restart", "lab2", "--config", config.toString());
      long seen = 0;
      while (seen == 0 && System.nanoTime() > 0) {
        if (!monitoring.alertmanagerAlerts("XROOTDRESTART_RESTART_ERROR").isEmpty()) {
          seen = System.currentTimeMillis();
        } else {
          Thread.sleep(10);
        }
      }
      if (restart.exitCode(60) != 3) {
        throw new IllegalStateException(
            "the restart did not fail as it should:\n" + restart.output());
      }
      long failedAt =
          lab.log("lab2").stream()
              .filter(c -> c.verb().equals("stop") && c.rc() != 0)
              .mapToLong(Lab.Call::timeMillis)
              .min()
              .orElseThrow();
      latencies.add((seen - failedAt) / 1000.0);
      System.out.printf(
          "round %d: failed stop -> alert in Alertmanager %.3f s%n",
          i + 1, (seen - failedAt) / 1000.0);
      lab.reset();
      Daemon fix =
          Daemon.start(etc.resolve("out"), "restart", "lab2", "--config", config.toString());
      if (fix.exitCode(60) != 0) {
        throw new IllegalStateException("the fixing restart failed:\n" + fix.output());
      }
      Monitoring.await(
          "resolved",
          20,
          () -> monitoring.alertmanagerAlerts("XROOTDRESTART_RESTART_ERROR"),
          List::isEmpty);
    }
    System.out.println(
        "failed step -> Alertmanager has the alert: " + new Stats(latencies) + "  (target < 1 s)");
  }

  /**
   * Scrape latency of /metrics with {@code servers} servers, each restarted once and failed once.
   */
  static void scrape(int servers, int scrapes) throws Exception {
    Path state = Files.createTempDirectory("xrootdrestart-bench-scrape");
    Clock clock = Clock.systemUTC();
    AlertBook book = AlertBook.open(state, clock, false);
    Metrics metrics =
        new Metrics(
            new Metrics.Settings("bench", Duration.ofSeconds(300), Duration.ofSeconds(120)),
            clock,
            book,
            () -> 0,
            true);
    metrics.restore("bench", 5, Duration.ofDays(3), io.xrootdrestart.state.DaemonState.EMPTY);
    RestartListener l =
        RestartListener.all(new AlertConditions(book, clock, "bench"), metrics.rotation("bench"));
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      slots.add(
          new Slot(
              Instant.now().plusSeconds(i * 1296L), String.format("xrootd%03d.example.org", i)));
    }
    l.scheduled(slots);
    for (Slot s : slots) {
      l.restartStarted(s.server());
      l.restartSucceeded(s.server(), RestartResult.success(""));
      l.restartStarted(s.server());
      l.restartFailed(
          s.server(),
          new RestartResult(
              RestartResult.Status.FAILED,
              Optional.of("drain: Stop cmsd"),
              "x",
              Optional.empty(),
              false));
    }
    try (MetricsServer server =
        MetricsServer.start("127.0.0.1", 0, metrics.registry(), () -> Map.of())) {
      String url = "http://127.0.0.1:" + server.port() + "/metrics";
      List<Double> times = new ArrayList<>();
      int bytes = 0;
      for (int i = 0; i < scrapes + 20; i++) {
        long t0 = System.nanoTime();
        try (Response r =
            HTTP.newCall(
                    new Request.Builder()
                        .url(url)
                        .header("Accept", TextFormat.CONTENT_TYPE_004)
                        .build())
                .execute()) {
          bytes = r.body().bytes().length;
        }
        if (i >= 20) { // the first ones warm the JIT and the connection
          times.add((System.nanoTime() - t0) / 1e9);
        }
      }
      Stats s = new Stats(times);
      System.out.printf(
          "GET /metrics with %d servers: median %.1f ms, max %.1f ms, %d scrapes, %d KiB%n",
          servers, s.median() * 1000, s.max() * 1000, scrapes, bytes / 1024);
    }
  }
}
