package io.xrootdrestart.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.Gauge;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import io.prometheus.client.hotspot.DefaultExports;
import io.xrootdrestart.alerts.Alert;
import io.xrootdrestart.alerts.AlertBook;
import io.xrootdrestart.alerts.AlertName;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.restart.Drain;
import io.xrootdrestart.restart.PhaseReport;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.RestartResult;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The daemon's metrics. The Python tool's series keep their names and meanings; the others are new.
 * Every series carries {@code cluster}. They live in a registry of their own (never the global
 * default), which {@link #registry()} exposes for the HTTP server and the Pushgateway.
 */
public final class Metrics {
  /**
   * Buckets of {@code phase_duration_seconds}: one Ansible run, from a health check to a slow stop.
   */
  private static final List<String> RESULTS = List.of("success", "failed", "unreachable", "held");

  private static final double[] PHASE_BUCKETS = {0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300, 600};

  /** What the metrics need from the config. */
  public record Settings(String cluster, Duration cmsdWait, Duration serviceTimeout) {
    public static Settings from(Config c) {
      return new Settings(
          c.get(Keys.CLUSTER_ID), c.get(Keys.CMSD_WAIT), c.get(Keys.SERVICE_TIMEOUT));
    }
  }

  private final Clock clock;
  private final CollectorRegistry inner = new CollectorRegistry(true);
  private final CollectorRegistry registry = new CollectorRegistry(true);
  private final Map<String, Instant> started = new ConcurrentHashMap<>();
  private final Map<String, Rotation> rotations = new ConcurrentHashMap<>();
  private volatile Supplier<Controls> controls = () -> Controls.NONE;

  private final Gauge heartbeat =
      gauge("xrootdrestart_heartbeat", "Unix time of the daemon's last sign of life (every 5 s).");
  private final Gauge restartActive =
      gauge(
          "xrootdrestart_restart_active",
          "1 while the node is being restarted.",
          "rotation",
          "node");
  private final Gauge startTime =
      gauge(
          "xrootdrestart_start_time",
          "Unix time the node's last restart started.",
          "rotation",
          "node");
  private final Gauge lastSuccess =
      gauge(
          "xrootdrestart_last_success_timestamp_seconds",
          "Unix time the node's last successful restart started.",
          "rotation",
          "node");
  private final Gauge nextRestart =
      gauge(
          "xrootdrestart_next_restart_timestamp_seconds",
          "Unix time the node's next restart is due (if the guard lets it).",
          "rotation",
          "node");
  private final Gauge serversHealthy =
      gauge(
          "xrootdrestart_servers_healthy",
          "Servers of the rotation with both units active at its last health check.",
          "rotation");
  private final Gauge serversTotal =
      gauge(
          "xrootdrestart_servers",
          "Servers in the rotation (not _total: promtool keeps that suffix for counters).",
          "rotation");
  private final Gauge guardHolding =
      gauge(
          "xrootdrestart_guard_holding",
          "1 while the guard holds the next restart (too few healthy servers, or a blocking"
              + " alert).",
          "rotation");
  private final Gauge minOk =
      gauge(
          "xrootdrestart_min_ok",
          "The rotation's min_ok: other servers of it that must be healthy for a restart to start.",
          "rotation");
  private final Gauge period =
      gauge(
          "xrootdrestart_cmsd_period_seconds",
          "The rotation's cmsd_period: each of its servers is restarted once per period.",
          "rotation");
  private final Counter restarts =
      Counter.build(
              "xrootdrestart_restarts_total",
              "Restart attempts by result: success, failed (a step failed or a unit was stuck),"
                  + " unreachable, held (by the guard).")
          .labelNames("rotation", "node", "result")
          .register(inner);
  private final Counter outOfTurn =
      Counter.build(
              "xrootdrestart_out_of_turn_restarts_total",
              "Restarts out of turn, by cause: not_serving (units active, but the xrootd check"
                  + " found it not serving) or restart_when.")
          .labelNames("rotation", "node", "cause")
          .register(inner);
  private final Counter restartWhenFailures =
      Counter.build(
              "xrootdrestart_restart_when_failures_total",
              "Slots at which restart_when could not be asked of Prometheus (nothing was due by"
                  + " it then).")
          .register(inner);
  private final Counter silenceFailures =
      Counter.build(
              "xrootdrestart_silence_failures_total",
              "Calls to Alertmanager's silences API that failed (create, extend or expire a"
                  + " server's silence); the restart went on.")
          .register(inner);
  private final Counter stateWriteFailures =
      Counter.build(
              "xrootdrestart_state_write_failures_total",
              "Writes of a rotation's state file that failed (state_dir read-only or full); no"
                  + " restart starts until the file can be written again.")
          .labelNames("rotation")
          .register(inner);
  private final Counter pushFailures =
      Counter.build("xrootdrestart_push_failures_total", "Pushes to the Pushgateway that failed.")
          .register(inner);
  private final Histogram restartDuration;
  private final Histogram drainDuration;
  private final Histogram phaseDuration =
      Histogram.build(
              "xrootdrestart_phase_duration_seconds",
              "Duration of each Ansible run, by phase: drain, cycle, restore, kill, reboot,"
                  + " health.")
          .labelNames("rotation", "phase")
          .buckets(PHASE_BUCKETS)
          .register(inner);

  /**
   * @param alerts the alerts firing and waiting for delivery (for the alert state series)
   * @param sendFailures failed posts to Alertmanager so far
   * @param jvm whether to add the JVM's own series (hotspot)
   */
  public Metrics(
      Settings settings, Clock clock, AlertBook alerts, LongSupplier sendFailures, boolean jvm) {
    this.clock = clock;
    restartDuration =
        Histogram.build(
                "xrootdrestart_restart_duration_seconds",
                "Duration of each successful restart of the node, cmsd_wait included.")
            .labelNames("rotation", "node")
            .buckets(restartBuckets(settings.cmsdWait(), settings.serviceTimeout()))
            .register(inner);
    drainDuration =
        Histogram.build(
                "xrootdrestart_drain_seconds",
                "Time from cmsd stopped to xrootd stopping in each restart, by what ended the wait:"
                    + " idle (no file open any more, drain_until_idle) or cmsd_wait.")
            .labelNames("rotation", "ended_by")
            .buckets(drainBuckets(settings.cmsdWait()))
            .register(inner);
    new AlertStates(alerts, sendFailures).register(inner);
    new ControlStates().register(inner);
    if (jvm) {
      DefaultExports.register(inner);
    }
    registry.register(new ClusterLabel(inner, settings.cluster()));
    beat();
  }

  /** What the HTTP server serves and the Pushgateway gets. */
  public CollectorRegistry registry() {
    return registry;
  }

  /** Buckets around cmsd_wait: a restart takes the wait plus up to four stops and starts. */
  static double[] restartBuckets(Duration cmsdWait, Duration serviceTimeout) {
    double wait = cmsdWait.toMillis() / 1000.0;
    double unit = serviceTimeout.toMillis() / 1000.0;
    Set<Double> b = new LinkedHashSet<>();
    b.add(wait + Math.min(1, unit));
    for (double f : new double[] {0.05, 0.1, 0.25, 0.5, 1, 2, 4}) {
      b.add(wait + f * unit);
    }
    return b.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
  }

  /** Buckets up to cmsd_wait (a drain ends by then), and one for a wait that ran a little over. */
  static double[] drainBuckets(Duration cmsdWait) {
    double wait = cmsdWait.toMillis() / 1000.0;
    Set<Double> b = new LinkedHashSet<>();
    for (double s : PHASE_BUCKETS) {
      if (s < wait) {
        b.add(s);
      }
    }
    b.add(wait);
    b.add(wait + 5);
    return b.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray();
  }

  private Gauge gauge(String name, String help, String... labels) {
    return Gauge.build(name, help).labelNames(labels).register(inner);
  }

  private static double seconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }

  /** The heartbeat: called every 5 s by a timer. */
  public void beat() {
    heartbeat.set(seconds(clock.instant()));
  }

  public void pushFailed() {
    pushFailures.inc();
  }

  /**
   * Where the admin's pause and exclusions are read at each scrape (the daemon's controls file).
   */
  public void watchControls(Supplier<Controls> source) {
    controls = source;
  }

  /**
   * A rotation's view: the listener of its daemon, which labels every series it sets with the
   * rotation's name.
   */
  public RestartListener rotation(String name) {
    Rotation r = rotations.computeIfAbsent(name, Rotation::new);
    for (Drain.EndedBy by : Drain.EndedBy.values()) {
      drainDuration.labels(name, by.id()); // at 0 from the start
    }
    return r;
  }

  /**
   * A rotation's settings, and the last start and success of each of its servers from its state, so
   * a restarted daemon shows them at once.
   */
  public void restore(
      String rotation, int minOkSetting, Duration periodSetting, DaemonState state) {
    rotation(rotation);
    minOk.labels(rotation).set(minOkSetting);
    period.labels(rotation).set(periodSetting.toMillis() / 1000.0);
    state
        .servers()
        .forEach(
            (node, r) -> {
              r.lastAttempt().ifPresent(t -> startTime.labels(rotation, node).set(seconds(t)));
              r.lastSuccess().ifPresent(t -> lastSuccess.labels(rotation, node).set(seconds(t)));
            });
  }

  /** The servers of every rotation, as last scheduled. */
  private List<String> nodes() {
    List<String> all = new ArrayList<>();
    rotations.values().forEach(r -> all.addAll(r.nodes));
    return all;
  }

  private final class Rotation implements RestartListener {
    private final String name;
    private volatile List<String> nodes = List.of();

    Rotation(String name) {
      this.name = name;
    }

    @Override
    public void scheduled(List<Slot> upcoming) {
      List<String> now = upcoming.stream().map(Slot::server).distinct().toList();
      Set<String> excluded = controls.get().excluded().keySet(); // no slot, but still in the group
      for (String gone : nodes) {
        if (!now.contains(gone) && !excluded.contains(gone)) {
          for (Gauge g : List.of(restartActive, startTime, lastSuccess, nextRestart)) {
            g.remove(name, gone);
          }
          RESULTS.forEach(r -> restarts.remove(name, gone, r));
          for (var cause : io.xrootdrestart.remedy.OutOfTurn.Cause.values()) {
            outOfTurn.remove(name, gone, cause.id());
          }
          restartDuration.remove(name, gone);
        }
      }
      nodes = now;
      serversTotal.labels(name).set(now.size());
      for (String node : now) {
        restartActive.labels(name, node).set(started.containsKey(node) ? 1 : 0);
        for (String result : RESULTS) {
          // at 0 from the start, so increase() counts the first one too
          restarts.labels(name, node, result);
        }
      }
      upcoming.forEach(s -> nextRestart.labels(name, s.server()).set(seconds(s.time())));
    }

    @Override
    public void restartStarted(String server) {
      Instant now = clock.instant();
      started.put(server, now);
      restartActive.labels(name, server).set(1);
      startTime.labels(name, server).set(seconds(now));
    }

    @Override
    public void restartSucceeded(String server, RestartResult result) {
      Instant start = finished(server);
      restartDuration
          .labels(name, server)
          .observe(Duration.between(start, clock.instant()).toMillis() / 1000.0);
      lastSuccess.labels(name, server).set(seconds(start));
      restarts.labels(name, server, "success").inc();
    }

    @Override
    public void restartFailed(String server, RestartResult result) {
      finished(server);
      switch (result.status()) {
        case UNREACHABLE -> restarts.labels(name, server, "unreachable").inc();
        case FAILED, STUCK -> restarts.labels(name, server, "failed").inc();
        default -> {} // interrupted by shutdown, and restored: not a result of the server's
      }
    }

    private Instant finished(String server) {
      restartActive.labels(name, server).set(0);
      Instant start = started.remove(server);
      return start == null ? clock.instant() : start;
    }

    @Override
    public void phaseFinished(String server, PhaseReport report) {
      phaseDuration.labels(name, report.phase()).observe(report.took().toMillis() / 1000.0);
    }

    @Override
    public void outOfTurn(String server, io.xrootdrestart.remedy.OutOfTurn.Due due) {
      outOfTurn.labels(name, server, due.cause().id()).inc();
    }

    @Override
    public void restartWhenFailed(String why) {
      restartWhenFailures.inc();
    }

    @Override
    public void silenceFailed(String server, String what) {
      silenceFailures.inc();
    }

    @Override
    public void stateWriteFailed(String why) {
      stateWriteFailures.labels(name).inc();
    }

    @Override
    public void drained(String server, Drain drain) {
      drainDuration.labels(name, drain.endedBy().id()).observe(drain.took().toMillis() / 1000.0);
    }

    @Override
    public void healthChecked(FleetHealth health) {
      phaseDuration.labels(name, "health").observe(health.took().toMillis() / 1000.0);
      serversHealthy
          .labels(name)
          .set(health.servers().values().stream().filter(h -> h.healthy()).count());
    }

    @Override
    public void guardPassed(String target, int healthyOthers, int minOk) {
      guardHolding.labels(name).set(0);
    }

    @Override
    public void guardHeld(String target, Decision.Hold hold) {
      guardHolding.labels(name).set(1);
      restarts.labels(name, target, "held").inc();
    }
  }

  /**
   * The admin's pause and exclusions, read from the controls at each scrape so they show at once.
   */
  private final class ControlStates extends Collector {
    @Override
    public List<MetricFamilySamples> collect() {
      Controls c = controls.get();
      Instant now = clock.instant();
      GaugeMetricFamily excluded =
          new GaugeMetricFamily(
              "xrootdrestart_excluded",
              "1 while an admin has excluded the node from the rotation (xrootdrestart exclude).",
              List.of("node"));
      Set<String> all = new LinkedHashSet<>(nodes());
      all.addAll(c.excluded().keySet());
      for (String node : all) {
        excluded.addMetric(List.of(node), c.isExcluded(node, now) ? 1 : 0);
      }
      return List.of(
          new GaugeMetricFamily(
              "xrootdrestart_paused",
              "1 while an admin has paused the rotation (xrootdrestart pause).",
              c.pause().isPresent() ? 1 : 0),
          excluded);
    }
  }

  /**
   * The alert state series, read from the alerts themselves at each scrape so they can never
   * disagree.
   */
  private final class AlertStates extends Collector {
    private final AlertBook alerts;
    private final LongSupplier sendFailures;

    AlertStates(AlertBook alerts, LongSupplier sendFailures) {
      this.alerts = alerts;
      this.sendFailures = sendFailures;
    }

    @Override
    public List<MetricFamilySamples> collect() {
      List<Alert> firing = alerts.firing();
      Set<String> all = new LinkedHashSet<>(nodes());
      firing.forEach(a -> a.node().ifPresent(all::add));
      GaugeMetricFamily restart =
          new GaugeMetricFamily(
              "xrootdrestart_restart_alert_state",
              "1 while XROOTDRESTART_RESTART_ERROR fires for the node.",
              List.of("node"));
      GaugeMetricFamily connect =
          new GaugeMetricFamily(
              "xrootdrestart_connect_alert_state",
              "1 while XROOTDRESTART_CONNECT_ERROR fires for the node.",
              List.of("node"));
      for (String node : all) {
        restart.addMetric(
            List.of(node), alerts.fires(AlertName.RESTART_ERROR, Optional.of(node)) ? 1 : 0);
        connect.addMetric(
            List.of(node), alerts.fires(AlertName.CONNECT_ERROR, Optional.of(node)) ? 1 : 0);
      }
      List<MetricFamilySamples> out = new ArrayList<>(List.of(restart, connect));
      GaugeMetricFamily insufficient =
          new GaugeMetricFamily(
              "xrootdrestart_insufficient_alert_state",
              "1 while XROOTDRESTART_INSUFFICIENT_SERVERS fires for the rotation.",
              List.of("rotation"));
      for (String rotation : rotations.keySet()) {
        insufficient.addMetric(
            List.of(rotation),
            alerts.fires(AlertName.INSUFFICIENT_SERVERS, Optional.empty(), rotation) ? 1 : 0);
      }
      out.add(insufficient);
      out.add(
          new GaugeMetricFamily(
              "xrootdrestart_alerts_pending",
              "Alert deliveries waiting in the outbox (Alertmanager did not accept them yet).",
              alerts.pending()));
      out.add(
          new CounterMetricFamily(
              "xrootdrestart_alert_send_failures",
              "Posts to Alertmanager that failed (each is retried).",
              sendFailures.getAsLong()));
      return out;
    }
  }
}
