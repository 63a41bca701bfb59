package io.xrootdrestart.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Resolves the configuration: default &lt; file &lt; environment &lt; command line. Every problem
 * is collected and reported together, each naming where it is; nothing is returned unless all is
 * valid.
 */
public final class ConfigLoader {
  /** Environment variable naming the config file; not a key. */
  public static final String CONFIG_VARIABLE = "XROOTDRESTART_CONFIG";

  private static final String ENV_PREFIX = "XROOTDRESTART_";
  private static final String FILE_NAME = "xrootdrestart.yml";

  private final Platform platform;

  public ConfigLoader(Platform platform) {
    this.platform = platform;
  }

  private record Raw(JsonNode value, Origin origin, Path baseDir) {}

  /**
   * @param explicitFile the {@code --config} option, if given
   * @param commandLine values given as options, as typed
   */
  public Config load(Optional<Path> explicitFile, Map<Key<?>, String> commandLine) {
    Optional<Path> file = locate(explicitFile);
    Path configDir =
        file.map(f -> f.toAbsolutePath().getParent())
            .orElse(Defaults.standardConfigDir(platform.root(), platform.home()));
    List<Problem> problems = new ArrayList<>();
    Map<Key<?>, Raw> raw = new LinkedHashMap<>();

    file.ifPresent(f -> readFile(f, raw, problems));
    readEnvironment(raw, problems);
    commandLine.forEach(
        (key, text) ->
            raw.put(
                key,
                new Raw(
                    TextNode.valueOf(text),
                    Origin.commandLine(key.option()),
                    platform.workingDir())));

    Defaults defaults = new Defaults(platform.root(), platform.home(), configDir);
    Map<Key<?>, Setting<?>> settings = new LinkedHashMap<>();
    for (Key<?> key : Keys.all()) {
      Raw r =
          raw.getOrDefault(
              key, new Raw(TextNode.valueOf(key.defaultText(defaults)), Origin.DEFAULT, configDir));
      resolve(key, r, problems).ifPresent(s -> settings.put(key, s));
    }
    if (problems.isEmpty()) {
      crossCheck(settings, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Config(settings, file.map(Path::toAbsolutePath));
  }

  /**
   * The file to read: {@code --config}, else {@code $XROOTDRESTART_CONFIG} (both must exist), else
   * the standard location if it exists.
   */
  public Optional<Path> locate(Optional<Path> explicitFile) {
    if (explicitFile.isPresent()) {
      return Optional.of(
          mustExist(
              platform.workingDir().resolve(explicitFile.get()), Origin.commandLine("--config")));
    }
    String fromEnv = platform.environment().get(CONFIG_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(
          mustExist(
              platform.workingDir().resolve(fromEnv.strip()), Origin.environment(CONFIG_VARIABLE)));
    }
    Path standard = Defaults.standardConfigDir(platform.root(), platform.home()).resolve(FILE_NAME);
    return Files.exists(standard) ? Optional.of(standard) : Optional.empty();
  }

  /**
   * The config file the daemon reads, whether or not it exists yet: {@code --config}, else {@code
   * $XROOTDRESTART_CONFIG}, else the standard location. Where {@code setup.yml} writes one.
   */
  public Path target(Optional<Path> explicitFile) {
    if (explicitFile.isPresent()) {
      return platform.workingDir().resolve(explicitFile.get()).normalize();
    }
    String fromEnv = platform.environment().get(CONFIG_VARIABLE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return platform.workingDir().resolve(fromEnv.strip()).normalize();
    }
    return standardFile();
  }

  /**
   * The defaults for a config file at {@code file} (its directory decides pkey_path and inventory).
   */
  public Defaults defaultsFor(Path file) {
    return new Defaults(platform.root(), platform.home(), file.toAbsolutePath().getParent());
  }

  /** Where the config file is looked for when neither --config nor the variable is given. */
  public Path standardFile() {
    return Defaults.standardConfigDir(platform.root(), platform.home()).resolve(FILE_NAME);
  }

  private static Path mustExist(Path file, Origin origin) {
    if (!Files.isRegularFile(file)) {
      throw new ConfigException(
          new Problem(
              origin,
              "",
              Files.exists(file)
                  ? file + " is not a regular file"
                  : "config file " + file + " not found"));
    }
    return file;
  }

  private static void readFile(Path file, Map<Key<?>, Raw> raw, List<Problem> problems) {
    Path base = file.toAbsolutePath().getParent();
    List<String> names = Keys.all().stream().map(Key::name).toList();
    for (ConfigFile.Entry e : ConfigFile.read(file)) {
      Origin origin = Origin.file(file, e.line());
      Optional<Key<?>> key = Keys.byName(e.key());
      if (e.key().equals("servers")) {
        problems.add(
            new Problem(
                origin,
                e.key(),
                "the server list now lives in the Ansible inventory (group xrootd_servers, see the"
                    + " inventory key); convert an old config with \"xrootdrestart migrate-config"
                    + " OLD.conf --out DIR\" or move the servers to an inventory file by hand"));
      } else if (key.isEmpty()) {
        problems.add(
            new Problem(origin, e.key(), "unknown key" + Suggestions.didYouMean(e.key(), names)));
      } else {
        raw.put(key.get(), new Raw(e.value(), origin, base));
      }
    }
  }

  private void readEnvironment(Map<Key<?>, Raw> raw, List<Problem> problems) {
    Map<String, Key<?>> byVariable =
        Keys.all().stream().collect(Collectors.toMap(Key::environmentVariable, k -> k));
    for (Map.Entry<String, String> e : new TreeMap<>(platform.environment()).entrySet()) {
      String variable = e.getKey();
      if (!variable.startsWith(ENV_PREFIX) || variable.equals(CONFIG_VARIABLE)) {
        continue;
      }
      Key<?> key = byVariable.get(variable);
      Origin origin = Origin.environment(variable);
      if (key == null) {
        problems.add(
            new Problem(
                origin,
                "",
                "unknown setting" + Suggestions.didYouMean(variable, byVariable.keySet())));
      } else {
        raw.put(key, new Raw(TextNode.valueOf(e.getValue()), origin, platform.workingDir()));
      }
    }
  }

  /** Rules that involve two keys; the problem is reported where the second key was set. */
  static void crossCheck(Map<Key<?>, Setting<?>> s, List<Problem> problems) {
    Setting<?> start = s.get(Keys.WINDOW_START);
    Setting<?> end = s.get(Keys.WINDOW_END);
    boolean hasStart = ((Optional<?>) start.value()).isPresent();
    boolean hasEnd = ((Optional<?>) end.value()).isPresent();
    if (hasStart != hasEnd) {
      Setting<?> given = hasStart ? start : end;
      String other = hasStart ? Keys.WINDOW_END.name() : Keys.WINDOW_START.name();
      problems.add(
          new Problem(
              given.origin(),
              given.key().name(),
              "set " + other + " too (a window has a start and an end)"));
    }
    Setting<?> cmsd = s.get(Keys.CMSD_SVC);
    Setting<?> xrootd = s.get(Keys.XROOTD_SVC);
    if (UnitNames.same((String) cmsd.value(), (String) xrootd.value())) {
      Setting<?> given = xrootd.origin().kind() == Origin.Kind.DEFAULT ? cmsd : xrootd;
      problems.add(
          new Problem(
              given.origin(),
              given.key().name(),
              "cmsd_svc and xrootd_svc name the same unit, "
                  + cmsd.value()
                  + "; they must be the two different units of a server"));
    }
    Setting<?> block = s.get(Keys.BLOCK_ON_ALERTS);
    if (((Optional<?>) block.value()).isPresent()
        && ((Optional<?>) s.get(Keys.PROM_URL).value()).isEmpty()) {
      problems.add(
          new Problem(
              block.origin(),
              block.key().name(),
              "needs prom_url, the Prometheus to ask for firing alerts"));
    }
    Setting<?> when = s.get(Keys.RESTART_WHEN);
    if (((Optional<?>) when.value()).isPresent()
        && ((Optional<?>) s.get(Keys.PROM_URL).value()).isEmpty()) {
      problems.add(
          new Problem(when.origin(), when.key().name(), "needs prom_url, the Prometheus to ask"));
    }
    Setting<?> silence = s.get(Keys.SILENCE_MATCHERS);
    if (!((java.util.List<?>) silence.value()).isEmpty()
        && ((Optional<?>) s.get(Keys.ALERT_URL).value()).isEmpty()) {
      problems.add(
          new Problem(
              silence.origin(),
              silence.key().name(),
              "needs alert_url, the Alertmanager to create the silences in"));
    }
    Setting<?> method = s.get(Keys.METRICS_METHOD);
    if (method.value() == MetricsMethod.PUSH
        && ((Optional<?>) s.get(Keys.PUSHGW_URL).value()).isEmpty()) {
      problems.add(
          new Problem(
              method.origin(),
              method.key().name(),
              "PUSH needs pushgw_url, the Pushgateway to push to"));
    }
    Setting<?> user = s.get(Keys.ALERT_USER);
    Setting<?> password = s.get(Keys.ALERT_PASSWORD_FILE);
    Setting<?> token = s.get(Keys.ALERT_TOKEN_FILE);
    boolean hasUser = !((String) user.value()).isEmpty();
    boolean hasPassword = ((Optional<?>) password.value()).isPresent();
    if (hasUser != hasPassword) {
      Setting<?> given = hasUser ? user : password;
      String other = hasUser ? Keys.ALERT_PASSWORD_FILE.name() : Keys.ALERT_USER.name();
      problems.add(
          new Problem(
              given.origin(), given.key().name(), "set " + other + " too (basic auth needs both)"));
    }
    if (hasUser && ((Optional<?>) token.value()).isPresent()) {
      problems.add(
          new Problem(
              token.origin(),
              token.key().name(),
              "use either basic auth (alert_user) or a token, not both"));
    }
    for (Setting<?> file : List.of(password, token)) {
      ((Optional<?>) file.value())
          .map(java.nio.file.Path.class::cast)
          .filter(f -> !java.nio.file.Files.isReadable(f))
          .ifPresent(
              f -> problems.add(new Problem(file.origin(), file.key().name(), "cannot read " + f)));
    }
  }

  private static <T> Optional<Setting<T>> resolve(Key<T> key, Raw raw, List<Problem> problems) {
    try {
      return Optional.of(
          new Setting<>(key, key.parser().parse(raw.value(), raw.baseDir()), raw.origin()));
    } catch (InvalidValueException e) {
      if (raw.origin().kind() == Origin.Kind.DEFAULT) {
        throw new IllegalStateException("default of " + key + " is invalid: " + e.getMessage(), e);
      }
      problems.add(new Problem(raw.origin(), key.name(), e.getMessage()));
      return Optional.empty();
    }
  }
}
