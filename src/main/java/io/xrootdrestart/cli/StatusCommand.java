package io.xrootdrestart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.RotationConfigs;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.Rotations;
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
import java.util.ArrayList;
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
    Inventory inventory =
        withGuard() ? Runtime.checked(context, config) : Runtime.inventory(context, config);
    Map<String, Config> configs = RotationConfigs.of(config, inventory);
    Map<String, List<String>> members = new LinkedHashMap<>();
    inventory.rotations().forEach(r -> members.put(r.name(), r.names()));
    Map<String, StateStore> stores = StateStore.forRotations(config.get(Keys.STATE_DIR), members);
    Controls controls = new StateStore(config.get(Keys.STATE_DIR)).controls().load();
    Instant now = Clock.systemUTC().instant();
    Optional<Rotations> daemons =
        withGuard()
            ? Optional.of(
                Runtime.rotations(
                    context,
                    config,
                    inventory,
                    new Shutdown(Clock.systemUTC()),
                    r -> new RestartListener() {},
                    false))
            : Optional.empty();
    boolean several = members.size() > 1;
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      printPause(out, controls);
    }
    List<Map<String, Object>> docs = new ArrayList<>();
    for (String rotation : members.keySet()) {
      Inventory inv = inventory.rotation(rotation).orElseThrow();
      Config c = configs.get(rotation);
      DaemonState state = stores.get(rotation).load();
      List<String> names = members.get(rotation);
      StatusReport report = StatusReport.of(state, controls, names, Daemon.Settings.from(c), now);
      List<Slot> slots = report.slots();
      Map<String, Object> doc = new LinkedHashMap<>();
      if (several) {
        doc.put("name", rotation);
        doc.put("min_ok", c.get(Keys.MIN_OK));
      }
      doc.putAll(report.document());
      Optional<String> guard = Optional.empty();
      if (daemons.isPresent() && !slots.isEmpty()) {
        Daemon daemon = daemons.get().daemons().get(rotation);
        FleetHealth health = daemon.health(inv);
        Decision d = daemon.decide(health, slots.get(0).server());
        guard =
            Optional.of(
                d instanceof Decision.Hold h
                    ? "HOLD: " + h.reason()
                    : "proceed: "
                        + health.healthyOtherThan(slots.get(0).server())
                        + " other servers healthy, min_ok "
                        + c.get(Keys.MIN_OK));
        doc.put("guard", guard.get());
        Map<String, String> healthDoc = new LinkedHashMap<>();
        health.servers().forEach((n, h) -> healthDoc.put(n, h.describe()));
        doc.put("health", healthDoc);
      }
      docs.add(doc);
      if (!json) {
        if (several) {
          out.printf(
              "Rotation %s (group %s): min_ok %d, every %s%n%n",
              rotation,
              rotation,
              c.get(Keys.MIN_OK),
              io.xrootdrestart.config.Durations.format(c.get(Keys.CMSD_PERIOD)));
        }
        print(out, state, controls, now, names, slots, guard);
        if (several) {
          out.println();
        }
      }
    }
    if (json) {
      Object whole = several ? Map.of("rotations", docs) : docs.get(0);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(whole));
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static void printPause(PrintWriter out, Controls controls) {
    controls
        .pause()
        .ifPresent(
            p ->
                out.printf(
                    "PAUSED since %s%s: no server is restarted until 'xrootdrestart resume'%n%n",
                    local(p.since()), p.reason().isEmpty() ? "" : " (" + p.reason() + ")"));
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
