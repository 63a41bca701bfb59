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
import io.xrootdrestart.guard.ParallelLimit;
import io.xrootdrestart.health.HealthCheck;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryCache;
import io.xrootdrestart.inventory.InventoryException;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.inventory.RotationConfigs;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.remedy.PrometheusRestartWhen;
import io.xrootdrestart.remedy.RestartWhen;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.Rotations;
import io.xrootdrestart.restart.Shutdown;
import io.xrootdrestart.silence.AlertmanagerSilences;
import io.xrootdrestart.silence.NodeSilences;
import io.xrootdrestart.state.StateStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import sun.misc.Signal;

/** Wires the real adapters into a daemon: the one place that knows them all. */
final class Runtime {
  private Runtime() {}

  /**
   * One daemon per rotation of the inventory, by name in inventory order, each with its rotation's
   * own config (the group's settings over the file's); they share the runner, the alerts and
   * max_parallel's places.
   *
   * @param first the inventory as {@link #checked} read it (hook files checked too)
   * @param listeners each rotation's listener, by its name
   * @param split whether to give each rotation its own state file now and expire the silences an
   *     earlier run left (run and restart, under the state lock; plan changes nothing)
   */
  static Rotations rotations(
      Context context,
      Config config,
      Inventory first,
      Shutdown shutdown,
      Function<String, RestartListener> listeners,
      boolean split) {
    InventoryLoader loader = new InventoryLoader(context.inventorySource());
    Map<String, Config> configs = RotationConfigs.of(config, first);
    Clock clock = Clock.systemUTC();
    InventoryCache cache =
        new InventoryCache(() -> loader.load(config), config.get(Keys.INVENTORY));
    PlaybookRunner runner =
        new AnsiblePlaybookRunner(RunnerSettings.from(config), clock, shutdown::requested);
    FiringAlerts alerts =
        config
            .get(Keys.PROM_URL)
            .<FiringAlerts>map(url -> new PrometheusAlerts(url, new OkHttpClient()))
            .orElse(FiringAlerts.NONE);
    ParallelLimit limit = ParallelLimit.of(config.get(Keys.MAX_PARALLEL));
    Map<String, List<String>> members = new LinkedHashMap<>();
    first.rotations().forEach(r -> members.put(r.name(), r.names()));
    Map<String, StateStore> stores = StateStore.forRotations(config.get(Keys.STATE_DIR), members);
    if (split) {
      StateStore.split(config.get(Keys.STATE_DIR), stores.values());
      silences(config, clock, listeners.apply(first.rotations().get(0).name())).expireLeftovers();
    }
    Map<String, Daemon> daemons = new LinkedHashMap<>();
    configs.forEach(
        (name, c) -> {
          RestartListener listener = listeners.apply(name);
          Phases phases = Phases.from(c);
          Supplier<Inventory> inventory =
              () ->
                  cache
                      .get()
                      .rotation(name)
                      .orElseThrow(
                          () ->
                              new InventoryException(
                                  c.get(Keys.INVENTORY),
                                  "group "
                                      + name
                                      + " is gone or has no hosts; restart the daemon to take up"
                                      + " the inventory's new groups"));
          daemons.put(
              name,
              new Daemon(
                  Daemon.Settings.from(c),
                  inventory,
                  runner,
                  HealthCheck.of(c.get(Keys.HEALTH_CHECK), phases),
                  phases,
                  stores.get(name),
                  clock,
                  shutdown,
                  shutdown,
                  alerts,
                  listener,
                  restartWhen(c),
                  silences(c, clock, listener),
                  limit));
        });
    return new Rotations(daemons, shutdown);
  }

  private static RestartWhen restartWhen(Config config) {
    return config
        .get(Keys.RESTART_WHEN)
        .<RestartWhen>map(
            expr ->
                new PrometheusRestartWhen(
                    config.get(Keys.PROM_URL).orElseThrow(),
                    expr,
                    config.get(Keys.RESTART_WHEN_LABEL),
                    new OkHttpClient()))
        .orElse(RestartWhen.NONE);
  }

  private static NodeSilences silences(Config config, Clock clock, RestartListener listener) {
    return new NodeSilences(
        config.get(Keys.SILENCE_MATCHERS),
        config
            .get(Keys.ALERT_URL)
            .map(
                url ->
                    new AlertmanagerSilences(
                        url,
                        new OkHttpClient(),
                        AlertAuth.from(config),
                        config.get(Keys.CLUSTER_ID)))
            .orElse(null),
        clock,
        listener::silenceFailed);
  }

  /**
   * The inventory, with each rotation's settings and hook files checked: every input error, exit 2,
   * before anything starts.
   */
  static Inventory checked(Context context, Config config) {
    Inventory inventory = inventory(context, config);
    HookSyntax.check(config);
    RotationConfigs.of(config, inventory).values().forEach(HookSyntax::check);
    return inventory;
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
