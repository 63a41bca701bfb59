package io.xrootdrestart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.Shutdown;
import io.xrootdrestart.restart.StatusReport;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.ServerRecord;
import io.xrootdrestart.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code status} and {@code plan}: what the daemon did and will do. Neither changes anything. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Per server: last success, last outcome, next slot; and the restart in flight, if any."
          + " Reads the state only: contacts no server, changes nothing."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "2:bad configuration, inventory or state"})
class StatusCommand implements Callable<Integer> {
  static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
  final Context context;

  @Mixin ConfigOptions options;

  @Option(names = "--json", description = "Print JSON, for scripts.")
  boolean json;

  @Spec CommandSpec spec;

  StatusCommand(Context context) {
    this.context = context;
  }

  /** Whether to run the health check and show what the guard would decide (plan does). */
  boolean withGuard() {
    return false;
  }

  @Override
  public Integer call() throws Exception {
    Config config = options.load(context);
    Inventory inventory = Runtime.inventory(context, config);
    StateStore store = new StateStore(config.get(Keys.STATE_DIR));
    DaemonState state = store.load();
    Controls controls = store.controls().load();
    List<String> names = inventory.servers().stream().map(Server::name).toList();
    Instant now = Clock.systemUTC().instant();
    StatusReport report =
        StatusReport.of(state, controls, names, Daemon.Settings.from(config), now);
    List<Slot> slots = report.slots();
    Map<String, Object> doc = report.document();
    Optional<String> guard = Optional.empty();
    if (withGuard() && !slots.isEmpty()) {
      Daemon daemon =
          Runtime.daemon(
              context, config, new Shutdown(Clock.systemUTC()), new RestartListener() {});
      FleetHealth health = daemon.health(inventory);
      Decision d = daemon.decide(health, slots.get(0).server());
      guard =
          Optional.of(
              d instanceof Decision.Hold h
                  ? "HOLD: " + h.reason()
                  : "proceed: "
                      + health.healthyOtherThan(slots.get(0).server())
                      + " other servers healthy, min_ok "
                      + config.get(Keys.MIN_OK));
      doc.put("guard", guard.get());
      Map<String, String> healthDoc = new LinkedHashMap<>();
      health.servers().forEach((n, h) -> healthDoc.put(n, h.describe()));
      doc.put("health", healthDoc);
    }

    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    } else {
      print(out, state, controls, now, names, slots, guard);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String local(Instant t) {
    return LOCAL.format(t.atZone(ZoneId.systemDefault()));
  }

  private void print(
      PrintWriter out,
      DaemonState state,
      Controls controls,
      Instant now,
      List<String> names,
      List<Slot> slots,
      Optional<String> guard) {
    controls
        .pause()
        .ifPresent(
            p ->
                out.printf(
                    "PAUSED since %s%s: no server is restarted until 'xrootdrestart resume'%n%n",
                    local(p.since()), p.reason().isEmpty() ? "" : " (" + p.reason() + ")"));
    state
        .inFlight()
        .ifPresent(
            f ->
                out.printf(
                    "In flight: %s, %s since %s%n%n", f.server(), f.phase(), local(f.since())));
    out.println(controls.pause().isPresent() ? "Next slots (once resumed):" : "Next slots:");
    if (slots.isEmpty()) {
      out.println("  none: every server is excluded");
    }
    for (Slot s : slots) {
      out.printf("  %-24s %s  (%s)%n", s.server(), local(s.time()), s.time());
    }
    out.println();
    out.println("Servers:");
    int w = names.stream().mapToInt(String::length).max().orElse(6);
    for (String n : names) {
      ServerRecord r = state.server(n);
      out.printf(
          "  %-" + w + "s  last success %-25s  last outcome %s%s%s%n",
          n,
          r.lastSuccess().map(StatusCommand::local).orElse("never"),
          r.outcome().isEmpty() ? "-" : r.outcome(),
          r.message().isEmpty() ? "" : ": " + r.message(),
          r.needsRestore() ? "  [restore pending]" : "");
      if (controls.isExcluded(n, now)) {
        Controls.Exclusion e = controls.excluded().get(n);
        out.printf(
            "  %-" + w + "s  EXCLUDED since %s, %s%s%n",
            "",
            local(e.since()),
            e.until()
                .map(u -> "until " + local(u))
                .orElse("until 'xrootdrestart include " + n + "'"),
            e.reason().isEmpty() ? "" : " (" + e.reason() + ")");
      }
    }
    guard.ifPresent(g -> out.printf("%nGuard for %s right now: %s%n", slots.get(0).server(), g));
  }
}
