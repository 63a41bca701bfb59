package io.xrootdrestart.cli;

import io.xrootdrestart.alerts.AlertAuth;
import io.xrootdrestart.alerts.AlertBook;
import io.xrootdrestart.alerts.AlertConditions;
import io.xrootdrestart.alerts.AlertSender;
import io.xrootdrestart.alerts.AlertmanagerClient;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.MetricsMethod;
import io.xrootdrestart.metrics.Metrics;
import io.xrootdrestart.metrics.MetricsServer;
import io.xrootdrestart.metrics.Pusher;
import io.xrootdrestart.restart.Activity;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.Rotations;
import io.xrootdrestart.restart.StatusReport;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that reports on the daemon, started and stopped together: the alerts (their book, the
 * sender thread), the metrics, the HTTP server and the Pushgateway pushes, and the timer that beats
 * the heartbeat every 5 s and re-sends firing alerts every {@code alert_resend}.
 */
final class Reporting implements AutoCloseable {
  static final Duration BEAT = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(Reporting.class);

  private final Clock clock;
  private final AlertBook book;
  private final Optional<AlertSender> sender;
  private final Metrics metrics;
  private final Map<String, Activity> activities = new java.util.concurrent.ConcurrentHashMap<>();
  private final String cluster;
  private final ScheduledExecutorService timer;
  private Optional<MetricsServer> server = Optional.empty();
  private Optional<Pusher> pusher = Optional.empty();
  private volatile Supplier<Object> status = () -> Map.of("starting", true);

  private Reporting(Config config, Clock clock) {
    this.clock = clock;
    Optional<URI> alertUrl = config.get(Keys.ALERT_URL);
    this.book = AlertBook.open(config.get(Keys.STATE_DIR), clock, alertUrl.isPresent());
    this.sender =
        alertUrl.map(
            url ->
                new AlertSender(
                        book,
                        new AlertmanagerClient(
                            url,
                            new OkHttpClient(),
                            AlertAuth.from(config),
                            config.get(Keys.CLUSTER_ID),
                            statusUrl(config),
                            config.get(Keys.ALERT_RESEND),
                            clock),
                        min(Duration.ofSeconds(30), config.get(Keys.ALERT_RESEND)),
                        clock)
                    .start());
    this.metrics =
        new Metrics(
            Metrics.Settings.from(config),
            clock,
            book,
            () -> sender.map(AlertSender::failures).orElse(0L),
            true);
    this.cluster = config.get(Keys.CLUSTER_ID);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "reporting-timer");
              t.setDaemon(true);
              return t;
            });
    Duration resend = config.get(Keys.ALERT_RESEND);
    every(BEAT, "heartbeat", this::beat);
    if (alertUrl.isPresent()) {
      every(resend, "alert re-send", book::refresh);
    }
  }

  /** Alerts and metrics, without the HTTP server or pushes (the one-off restart command). */
  static Reporting alertsOnly(Config config, Clock clock) {
    return new Reporting(config, clock);
  }

  /** Everything, for the daemon: the HTTP server listens, and with PUSH the pushes start. */
  static Reporting forDaemon(Config config, Clock clock) {
    Reporting r = new Reporting(config, clock);
    try {
      r.server =
          Optional.of(
              MetricsServer.start(
                  config.get(Keys.METRICS_BIND),
                  config.get(Keys.METRICS_PORT),
                  r.metrics.registry(),
                  () -> r.status.get()));
      if (config.get(Keys.METRICS_METHOD) == MetricsMethod.PUSH) {
        URI url =
            config.get(Keys.PUSHGW_URL).orElseThrow(); // the config loader refuses PUSH without it
        r.pusher =
            Optional.of(new Pusher(url, r.metrics.registry(), hostname(), r.metrics::pushFailed));
        r.timer.execute(r.pusher.get()::push);
      }
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  /**
   * Serve the daemons' status (with the live view of the status page, every rotation), and show
   * what their states say before their first events.
   */
  void watch(Rotations rotations) {
    rotations
        .daemons()
        .forEach(
            (name, daemon) -> {
              metrics.restore(
                  name, daemon.settings().minOk(), daemon.settings().period(), daemon.state());
              activity(name).seed(daemon.state());
            });
    Daemon any = rotations.daemons().values().iterator().next();
    metrics.watchControls(any::controls); // the admin's controls are the fleet's
    status =
        () -> {
          List<Map<String, Object>> docs = new ArrayList<>();
          rotations
              .daemons()
              .forEach(
                  (name, daemon) ->
                      docs.add(
                          StatusReport.of(
                                  daemon.state(),
                                  daemon.controls(),
                                  daemon.servers(),
                                  daemon.settings(),
                                  clock.instant(),
                                  Optional.of(
                                      new StatusReport.Live(
                                          cluster, name, activity(name).snapshot(), book.firing())))
                              .document()));
          return StatusReport.merge(docs);
        };
  }

  /** What reports on the rotation {@code name}: its alerts, metrics and status page activity. */
  RestartListener listener(String rotation) {
    return RestartListener.all(
        new AlertConditions(book, clock, rotation), metrics.rotation(rotation), activity(rotation));
  }

  private Activity activity(String rotation) {
    return activities.computeIfAbsent(rotation, r -> new Activity(clock));
  }

  Metrics metrics() {
    return metrics;
  }

  /**
   * Runs {@code job} every {@code period}; a job that throws is logged and runs again next time.
   */
  private void every(Duration period, String what, Runnable job) {
    timer.scheduleAtFixedRate(
        () -> {
          try {
            job.run();
          } catch (RuntimeException e) {
            LOG.error(
                "{} failed: {}", what, e.toString(), e); // an exception would cancel the schedule
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void beat() {
    metrics.beat();
    pusher.ifPresent(Pusher::push);
  }

  /** Where alerts link to: external_url, else this host and metrics_port; path /status. */
  static URI statusUrl(Config config) {
    String base =
        config
            .get(Keys.EXTERNAL_URL)
            .map(URI::toString)
            .orElseGet(
                () -> {
                  String bind = config.get(Keys.METRICS_BIND);
                  boolean any = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
                  return "http://"
                      + (any ? hostname() : bind)
                      + ":"
                      + config.get(Keys.METRICS_PORT);
                });
    return URI.create(base.replaceAll("/+$", "") + "/status");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static String hostname() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pusher.ifPresent(
        p -> {
          metrics.beat();
          p.push(); // the last state, so the Pushgateway does not keep "restart active"
        });
    sender.ifPresent(s -> s.close(Duration.ofSeconds(3)));
    server.ifPresent(MetricsServer::close);
  }
}
