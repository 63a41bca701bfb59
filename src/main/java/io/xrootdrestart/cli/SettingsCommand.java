package io.xrootdrestart.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Setting;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.playbook.RemoteCommand;
import io.xrootdrestart.playbook.RestartSequence;
import java.io.PrintWriter;
import java.time.Duration;
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

/**
 * The resolved configuration as JSON, for playbooks/setup.yml: the daemon's own rules decide every
 * value and every error, so the playbook keeps no copy of them.
 */
@Command(
    name = "settings",
    mixinStandardHelpOptions = true,
    description = {
      "Print the resolved configuration as JSON, for playbooks/setup.yml and other tools: the"
          + " config file, every setting with its value (durations also in seconds) and where it"
          + " came from, and with --servers the servers of the inventory group with their units."
          + " Validates as check does, but reads the inventory only with --servers and opens no log"
          + " file. Changes nothing, contacts no server."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "2:bad configuration, inventory or command line"})
final class SettingsCommand implements Callable<Integer> {
  private final Context context;

  @Mixin ConfigOptions options;

  @Option(
      names = "--servers",
      description = "Also read the inventory (as the daemon does) and list the servers.")
  boolean servers;

  @Spec CommandSpec spec;

  SettingsCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Config config =
        new ConfigLoader(context.platform())
            .load(Optional.ofNullable(options.configFile), options.values());
    Map<String, Object> settings = new LinkedHashMap<>();
    for (Setting<?> s : config.settings()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("value", s.text());
      entry.put("origin", s.origin().describe());
      if (s.value() instanceof Duration d) {
        entry.put("seconds", d.toMillis() / 1000.0);
      }
      settings.put(s.key().name(), entry);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("config_file", config.file().map(Object::toString).orElse(null));
    root.put("settings", settings);
    // What the sudo rule allows comes from the restart's own description: the words after
    // systemctl,
    // per unit (the unit follows them) and for the server itself.
    List<RemoteCommand> commands = RestartSequence.commands(config.get(Keys.ESCALATE_REBOOT));
    Map<String, Object> sudo = new LinkedHashMap<>();
    sudo.put("systemctl", RemoteCommand.SYSTEMCTL);
    sudo.put(
        "per_unit",
        commands.stream().filter(RemoteCommand::perUnit).map(RemoteCommand::words).toList());
    sudo.put(
        "server", commands.stream().filter(c -> !c.perUnit()).map(RemoteCommand::words).toList());
    root.put("sudo_commands", sudo);
    if (servers) {
      Inventory inventory = new InventoryLoader(context.inventorySource()).load(config);
      root.put("inventory", inventory.source());
      root.put("group", inventory.group());
      root.put(
          "servers",
          inventory.servers().stream()
              .map(
                  s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", s.name());
                    m.put("address", s.address());
                    m.put("port", s.port());
                    m.put("cmsd_svc", s.cmsdUnit());
                    m.put("xrootd_svc", s.xrootdUnit());
                    return m;
                  })
              .toList());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    out.flush();
    return ExitCodes.OK;
  }
}
