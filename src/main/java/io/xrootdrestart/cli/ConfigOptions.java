package io.xrootdrestart.cli;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --config FILE} plus one option per config key ({@code --cmsd-wait 5m}), for every command
 * that reads the configuration. The per-key options are generated from {@link Keys}, so a new key
 * gets its option without touching the command line code.
 */
public final class ConfigOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Config file (default: $XROOTDRESTART_CONFIG, else /etc/xrootdrestart/xrootdrestart.yml"
              + " as root, else ~/.config/xrootdrestart/xrootdrestart.yml).")
  Path configFile;

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Adds the per-key options to a command that mixes in this class. */
  static void addKeyOptions(CommandSpec spec) {
    ArgGroupSpec.Builder group =
        ArgGroupSpec.builder()
            .heading("%nSettings (each overrides $XROOTDRESTART_<KEY> and the config file):%n")
            .exclusive(false)
            .multiplicity("0..1");
    for (Key<?> key : Keys.all()) {
      group.addArg(
          OptionSpec.builder(key.option())
              .paramLabel(key.label())
              .type(String.class)
              .description(key.description())
              .build());
    }
    spec.addArgGroup(group.build());
  }

  /** The keys given on the command line, as typed. */
  Map<Key<?>, String> values() {
    Map<Key<?>, String> values = new LinkedHashMap<>();
    for (Key<?> key : Keys.all()) {
      OptionSpec option = command.findOption(key.option());
      if (option != null && option.getValue() != null) {
        values.put(key, option.getValue());
      }
    }
    return values;
  }

  /** The validated configuration, with log_level and log_file applied. */
  Config load(Context context) {
    Config config =
        new ConfigLoader(context.platform()).load(Optional.ofNullable(configFile), values());
    Logging.configure(config);
    return config;
  }
}
