package io.xrootdrestart.config;

import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts the predecessor's INI config into the YAML config plus an inventory holding its {@code
 * servers} in group {@code xrootd_servers}.
 */
public final class Migration {
  public static final String CONFIG_FILE = "xrootdrestart.yml";
  public static final String INVENTORY_FILE = "hosts.yml";
  private static final String SECTION = "general";
  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();

  private final Path source;
  private final Map<String, Object> config = new LinkedHashMap<>();
  private final Map<String, Object> hosts = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  /** The old file's line of each setting, to report what the new tool refuses where it was. */
  private final Map<String, Integer> lines = new LinkedHashMap<>();

  private Migration(Path source) {
    this.source = source.toAbsolutePath();
  }

  /** Reads and checks the old file; every problem names its line and key. */
  public static Migration of(Path oldConfig) {
    Migration m = new Migration(oldConfig);
    m.convert(LegacyIni.read(oldConfig));
    return m;
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  public Map<String, Object> config() {
    return config;
  }

  public Map<String, Object> hosts() {
    return hosts;
  }

  private void convert(List<LegacyIni.Entry> entries) {
    List<Problem> problems = new ArrayList<>();
    boolean sawSection = false;
    LegacyIni.Entry servers = null;
    for (LegacyIni.Entry e : entries) {
      if (!e.section().equals(SECTION)) {
        warnings.add(
            source
                + ":"
                + e.line()
                + ": "
                + e.key()
                + ": section ["
                + e.section()
                + "] is ignored");
        continue;
      }
      sawSection = true;
      if (e.key().equals("servers")) {
        servers = e;
        continue;
      }
      Origin origin = Origin.file(source, e.line());
      var key = Keys.byName(e.key());
      if (key.isEmpty()) {
        warnings.add(origin + ": " + e.key() + ": not a setting of xrootdrestart; left out");
        continue;
      }
      try {
        key.get().parser().parse(TextNode.valueOf(e.value()), source.getParent());
      } catch (InvalidValueException ex) {
        problems.add(new Problem(origin, e.key(), ex.getMessage()));
        continue;
      }
      config.put(
          e.key(), e.value().matches("\\d{1,18}") ? (Object) Long.parseLong(e.value()) : e.value());
      lines.put(e.key(), e.line());
    }
    if (!sawSection && servers == null) {
      problems.add(
          new Problem(
              Origin.file(source, 0),
              "",
              "no [general] section: is this the old" + " xrootdrestart.conf?"));
    } else if (servers == null) {
      problems.add(
          new Problem(
              Origin.file(source, 0),
              "servers",
              "no servers line: nothing to put in the inventory"));
    } else {
      readServers(servers, problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    // The old tool looked for its key next to its config file; keep pointing there.
    config.putIfAbsent(Keys.PKEY_PATH.name(), source.getParent().toString());
    config.put(Keys.INVENTORY.name(), INVENTORY_FILE);
  }

  private void readServers(LegacyIni.Entry servers, List<Problem> problems) {
    Origin origin = Origin.file(source, servers.line());
    for (String item : servers.value().split("[,\\s]+")) {
      if (item.isEmpty()) {
        continue;
      }
      Map<String, Object> vars = new LinkedHashMap<>();
      String name = item;
      int colon = item.lastIndexOf(':');
      if (colon > 0
          && item.indexOf(':') == colon
          && item.substring(colon + 1).matches("\\d{1,5}")) {
        name = item.substring(0, colon);
        int port = Integer.parseInt(item.substring(colon + 1));
        if (port < 1 || port > 65535) {
          problems.add(new Problem(origin, "servers", "\"" + item + "\": expected a port 1-65535"));
          continue;
        }
        vars.put("ansible_port", port);
      }
      if (!name.matches("[A-Za-z0-9_.\\-]+")) {
        problems.add(new Problem(origin, "servers", "\"" + item + "\" is not a host name"));
        continue;
      }
      if (hosts.put(name, vars) != null) {
        warnings.add(origin + ": servers: " + name + " is listed twice; kept once");
      }
    }
    if (hosts.isEmpty() && problems.isEmpty()) {
      problems.add(new Problem(origin, "servers", "the list is empty"));
    }
  }

  /**
   * Writes both files into {@code dir}; refuses to replace an existing one unless {@code force}.
   */
  /**
   * Reads the written config as the daemon will ({@link ConfigLoader}: the rules between keys, the
   * log file) and checks min_ok against the servers; a problem is reported at the old file's line
   * of the key, and the written files are removed. The environment is left out: it is not the
   * file's.
   */
  public void verify(List<Path> written) {
    Path configFile = written.get(0);
    List<Problem> problems = new ArrayList<>();
    try {
      Config c =
          new ConfigLoader(
                  new Platform(false, configFile.getParent(), configFile.getParent(), Map.of()))
              .load(Optional.of(configFile), Map.of());
      c.get(Keys.LOG_FILE)
          .filter(f -> !f.toAbsolutePath().getParent().toFile().isDirectory())
          .ifPresent(
              f ->
                  problems.add(
                      new Problem(
                          Origin.file(source, lines.getOrDefault(Keys.LOG_FILE.name(), 0)),
                          Keys.LOG_FILE.name(),
                          "the directory of " + f + " does not exist")));
      int minOk = c.get(Keys.MIN_OK);
      if (minOk >= hosts.size()) {
        problems.add(
            new Problem(
                Origin.file(source, lines.getOrDefault(Keys.MIN_OK.name(), 0)),
                Keys.MIN_OK.name(),
                minOk
                    + " can never be met: the "
                    + hosts.size()
                    + " server(s) of the servers line leave at most "
                    + (hosts.size() - 1)
                    + " other(s) healthy while one restarts"));
      }
    } catch (ConfigException e) {
      for (Problem p : e.problems()) {
        problems.add(
            new Problem(Origin.file(source, lines.getOrDefault(p.key(), 0)), p.key(), p.message()));
      }
    }
    if (!problems.isEmpty()) {
      for (Path p : written) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          // reported below anyway
        }
      }
      throw new ConfigException(problems);
    }
  }

  public List<Path> write(Path dir, boolean force) {
    Path configFile = dir.resolve(CONFIG_FILE);
    Path inventoryFile = dir.resolve(INVENTORY_FILE);
    if (!force) {
      for (Path p : List.of(configFile, inventoryFile)) {
        if (Files.exists(p)) {
          throw new ConfigException(
              new Problem(
                  Origin.commandLine("--out"), "", p + " exists; pass --force to replace it"));
        }
      }
    }
    Map<String, Object> inventory =
        Map.of("all", Map.of("children", Map.of("xrootd_servers", Map.of("hosts", hosts))));
    try {
      Files.createDirectories(dir);
      write(
          configFile,
          "xrootdrestart configuration, converted by \"xrootdrestart migrate-config\" from\n# "
              + source
              + ".\n# Every key is described in the README; run \"xrootdrestart check\" to see the"
              + " resolved values.",
          config);
      write(
          inventoryFile,
          "Ansible inventory of the XRootD servers, converted from the servers line of\n# "
              + source
              + ". Servers are restarted in this order.",
          inventory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + dir, e);
    }
    return List.of(configFile, inventoryFile);
  }

  private static void write(Path file, String header, Object document) throws IOException {
    String text = "# " + header + "\n" + YAML.writeValueAsString(document);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
