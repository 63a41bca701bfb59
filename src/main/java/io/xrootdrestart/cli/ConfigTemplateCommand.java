package io.xrootdrestart.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xrootdrestart.BadInputException;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.ConfigTemplate;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Origin;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "config-template",
    mixinStandardHelpOptions = true,
    description = {
      "Print the commented config file: every key, commented out with its default (computed for the"
          + " file's directory) under what it means, and the keys of --settings set."
          + " playbooks/setup.yml writes it where there is no config file. Changes nothing."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:printed",
      "2:bad --settings, or the config file is there but not a regular file"
    })
final class ConfigTemplateCommand implements Callable<Integer> {
  private final Context context;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The config file it is for (default: $XROOTDRESTART_CONFIG, else"
              + " /etc/xrootdrestart/xrootdrestart.yml as root, else"
              + " ~/.config/xrootdrestart/xrootdrestart.yml). It need not exist.")
  Path configFile;

  @Option(
      names = "--settings",
      paramLabel = "JSON",
      description =
          "Keys to set, as a JSON object of keys to strings, numbers or booleans: {\"cluster_id\":"
              + " \"atlas\"}.")
  String settings;

  @Option(
      names = "--json",
      description =
          "Print config_file, exists (an existing file is never to be replaced), differs (the"
              + " settings the existing file does not have) and text, as JSON, for setup.yml.")
  boolean json;

  @Spec CommandSpec spec;

  ConfigTemplateCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    ConfigLoader loader = new ConfigLoader(context.platform());
    Path file = loader.target(Optional.ofNullable(configFile));
    boolean exists = Files.exists(file);
    if (exists && !Files.isRegularFile(file)) {
      throw new BadInputException("config file " + file + " is not a regular file");
    }
    Map<Key<?>, JsonNode> values =
        ConfigTemplate.settings(settings, Origin.commandLine("--settings"));
    String text = ConfigTemplate.render(file, loader.defaultsFor(file), values);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("config_file", file.toString());
      root.put("exists", exists);
      root.put("differs", exists ? ConfigTemplate.differing(file, values) : List.of());
      root.put("text", text);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
    } else {
      out.print(text);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
