package io.xrootdrestart.cli;

import io.xrootdrestart.alerts.AlertAuth;
import io.xrootdrestart.alerts.PrometheusAlerts;
import io.xrootdrestart.ansible.AnsiblePlaybookRunner;
import io.xrootdrestart.ansible.HookSyntax;
import io.xrootdrestart.ansible.PlaybookRunner;
import io.xrootdrestart.ansible.RunnerSettings;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.guard.FiringAlerts;
import io.xrootdrestart.health.HealthCheck;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryCache;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.remedy.PrometheusRestartWhen;
import io.xrootdrestart.remedy.RestartWhen;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.Shutdown;
import io.xrootdrestart.silence.AlertmanagerSilences;
import io.xrootdrestart.silence.NodeSilences;
import io.xrootdrestart.state.StateStore;
import java.time.Clock;
import okhttp3.OkHttpClient;
import sun.misc.Signal;

/** Wires the real adapters into a daemon: the one place that knows them all. */
final class Runtime {
  private Runtime() {}

  static Daemon daemon(
      Context context, Config config, Shutdown shutdown, RestartListener listener) {
    HookSyntax.check(config); // a broken hook file is a config error now, not a failure at 3 a.m.
    Clock clock = Clock.systemUTC();
    InventoryLoader loader = new InventoryLoader(context.inventorySource());
    FiringAlerts alerts =
        config
            .get(Keys.PROM_URL)
            .<FiringAlerts>map(url -> new PrometheusAlerts(url, new OkHttpClient()))
            .orElse(FiringAlerts.NONE);
    PlaybookRunner runner =
        new AnsiblePlaybookRunner(RunnerSettings.from(config), clock, shutdown::requested);
    Phases phases = Phases.from(config);
    RestartWhen restartWhen =
        config
            .get(Keys.RESTART_WHEN)
            .<RestartWhen>map(
                expr ->
                    new PrometheusRestartWhen(
                        config.get(Keys.PROM_URL).orElseThrow(),
                        expr,
                        config.get(Keys.RESTART_WHEN_LABEL),
                        new OkHttpClient()))
            .orElse(RestartWhen.NONE);
    NodeSilences silences =
        new NodeSilences(
            config.get(Keys.SILENCE_MATCHERS),
            config
                .get(Keys.ALERT_URL)
                .map(
                    url ->
                        new AlertmanagerSilences(url, new OkHttpClient(), AlertAuth.from(config)))
                .orElse(null),
            clock,
            listener::silenceFailed);
    return new Daemon(
        Daemon.Settings.from(config),
        new InventoryCache(() -> loader.load(config), config.get(Keys.INVENTORY)),
        runner,
        HealthCheck.of(config.get(Keys.HEALTH_CHECK), phases),
        phases,
        new StateStore(config.get(Keys.STATE_DIR)),
        clock,
        shutdown,
        shutdown,
        alerts,
        listener,
        restartWhen,
        silences);
  }

  static Inventory inventory(Context context, Config config) {
    return new InventoryLoader(context.inventorySource()).load(config);
  }

  /**
   * SIGTERM and SIGINT request a clean shutdown instead of ending the JVM (which would exit 143).
   */
  static Shutdown shutdownOnSignals() {
    Shutdown shutdown = new Shutdown(Clock.systemUTC());
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          s -> {
            org.slf4j.LoggerFactory.getLogger("xrootdrestart")
                .info("SIG{} received: stopping cleanly", name);
            shutdown.request();
          });
    }
    return shutdown;
  }
}
