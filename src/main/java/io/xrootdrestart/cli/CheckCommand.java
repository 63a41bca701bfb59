package io.xrootdrestart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Setting;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.inventory.RotationConfigs;
import io.xrootdrestart.inventory.Server;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Validate the configuration and the inventory, and print the resolved settings with where"
          + " each value came from, and the servers in restart order. Changes nothing, contacts no"
          + " server."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "2:bad configuration, inventory or command line"})
final class CheckCommand implements Callable<Integer> {
  private final Context context;

  @Mixin ConfigOptions options;

  @Option(names = "--json", description = "Print the result as JSON, for scripts.")
  boolean json;

  @Spec CommandSpec spec;

  CheckCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Config config = options.load(context);
    io.xrootdrestart.ansible.HookSyntax.check(config);
    Inventory inventory = new InventoryLoader(context.inventorySource()).load(config);
    Map<String, Config> rotations = RotationConfigs.of(config, inventory);
    rotations.values().forEach(io.xrootdrestart.ansible.HookSyntax::check);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(
          new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(asJson(config, inventory, rotations)));
    } else {
      print(out, config, inventory);
      printRotations(out, inventory, rotations);
    }
    out.flush();
    return ExitCodes.OK;
  }

  private void print(PrintWriter out, Config config, Inventory inventory) {
    out.println(
        "Config file: "
            + config
                .file()
                .map(Object::toString)
                .orElse(
                    "none (looked for "
                        + new ConfigLoader(context.platform()).standardFile()
                        + "); defaults apply"));
    out.println();
    out.println("Settings:");
    int width = config.settings().stream().mapToInt(s -> s.key().name().length()).max().orElse(10);
    int valueWidth =
        Math.min(48, config.settings().stream().mapToInt(s -> s.text().length()).max().orElse(10));
    for (Setting<?> s : config.settings()) {
      out.printf(
          "  %-" + width + "s  %-" + valueWidth + "s  %s%n",
          s.key().name(),
          s.text().isEmpty() ? "(blank)" : s.text(),
          s.origin().describe());
    }
    out.println();
    List<Server> servers = inventory.servers();
    out.printf(
        "Servers: %d in group %s of %s, in restart order:%n",
        servers.size(), inventory.group(), inventory.source());
    int nameWidth = servers.stream().mapToInt(s -> s.name().length()).max().orElse(4);
    int endpointWidth = servers.stream().mapToInt(s -> s.endpoint().length()).max().orElse(4);
    int i = 1;
    for (Server s : servers) {
      out.printf(
          "  %2d  %-" + nameWidth + "s  %-" + endpointWidth + "s  %s  %s%n",
          i++,
          s.name(),
          s.endpoint(),
          s.cmsdUnit(),
          s.xrootdUnit());
    }
  }

  /** With several rotations: each, with its servers and the settings its group sets. */
  private static void printRotations(
      PrintWriter out, Inventory inventory, Map<String, Config> rotations) {
    if (rotations.size() < 2) {
      return;
    }
    out.println();
    out.printf("Rotations: %d, run at the same time:%n", rotations.size());
    for (var r : inventory.rotations()) {
      Config c = rotations.get(r.name());
      out.printf("  %s: %s%n", r.name(), String.join(", ", r.names()));
      for (Setting<?> s : rotationSettings(c)) {
        out.printf(
            "      %s %s  (%s)%n",
            s.key().name(), s.text().isEmpty() ? "(blank)" : s.text(), s.origin().describe());
      }
    }
  }

  /** The settings a rotation may have of its own, as it has them. */
  private static List<Setting<?>> rotationSettings(Config c) {
    return io.xrootdrestart.inventory.Rotation.KEYS.stream()
        .<Setting<?>>map(c::setting)
        .filter(
            s ->
                s.origin().kind() == io.xrootdrestart.config.Origin.Kind.INVENTORY
                    || s.key() == io.xrootdrestart.config.Keys.MIN_OK
                    || s.key() == io.xrootdrestart.config.Keys.CMSD_PERIOD)
        .toList();
  }

  private static Map<String, Object> asJson(
      Config config, Inventory inventory, Map<String, Config> rotations) {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (Setting<?> s : config.settings()) {
      settings.put(s.key().name(), Map.of("value", s.text(), "origin", s.origin().describe()));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("config_file", config.file().map(Object::toString).orElse(null));
    root.put("settings", settings);
    root.put("inventory", inventory.source());
    root.put("group", inventory.group());
    root.put("servers", servers(inventory));
    List<Map<String, Object>> rs = new java.util.ArrayList<>();
    for (var r : inventory.rotations()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("servers", r.names());
      Map<String, Object> own = new LinkedHashMap<>();
      for (Setting<?> s : rotationSettings(rotations.get(r.name()))) {
        own.put(s.key().name(), Map.of("value", s.text(), "origin", s.origin().describe()));
      }
      m.put("settings", own);
      rs.add(m);
    }
    root.put("rotations", rs);
    return root;
  }

  /** The servers in restart order, as check --json and settings --servers print them. */
  static List<Map<String, Object>> servers(Inventory inventory) {
    return inventory.servers().stream()
        .map(
            s -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", s.name());
              m.put("address", s.address());
              m.put("port", s.port());
              m.put("inventory_user", s.inventoryUser().orElse(null));
              m.put("cmsd_svc", s.cmsdUnit());
              m.put("xrootd_svc", s.xrootdUnit());
              m.put("xrootd_port", s.xrootdPort());
              return m;
            })
        .toList();
  }
}
