package io.xrootdrestart.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigException;
import io.xrootdrestart.config.InvalidValueException;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Origin;
import io.xrootdrestart.config.Problem;
import io.xrootdrestart.config.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each rotation's config: the config file's, with the settings its inventory group sets as {@code
 * xrootdrestart_<key>} variables. A value that does not parse, a window with one end, or a {@code
 * min_ok} the rotation can never meet is a config error naming the inventory, group and variable
 * (or the config file's line, when the value came from there).
 */
public final class RotationConfigs {
  private RotationConfigs() {}

  /** By rotation name, in inventory order. */
  public static Map<String, Config> of(Config base, Inventory inventory) {
    Map<String, Config> out = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (Rotation r : inventory.rotations()) {
      try {
        out.put(r.name(), of(base, inventory, r));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return out;
  }

  static Config of(Config base, Inventory inventory, Rotation r) {
    Origin origin = Origin.inventory(inventory.source(), r.name());
    Path baseDir = baseDir(inventory.source());
    List<Setting<?>> overrides = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Key<?> key : Rotation.KEYS) {
      JsonNode raw = r.vars().get(Rotation.variable(key));
      if (raw == null) {
        continue;
      }
      try {
        overrides.add(setting(key, raw, baseDir, origin));
      } catch (InvalidValueException e) {
        problems.add(new Problem(origin, Rotation.variable(key), e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    Config config = base.overriding(overrides);
    Setting<Integer> minOk = config.setting(Keys.MIN_OK);
    int others = r.servers().size() - 1;
    if (minOk.value() > others) {
      boolean own = minOk.origin().kind() == Origin.Kind.INVENTORY;
      throw new ConfigException(
          new Problem(
              minOk.origin(),
              own ? Rotation.variable(Keys.MIN_OK) : Keys.MIN_OK.name(),
              minOk.value()
                  + " can never be met"
                  + (own ? "" : " in rotation " + r.name() + " of " + inventory.source())
                  + ": its "
                  + r.servers().size()
                  + " server(s) leave at most "
                  + others
                  + " other(s) healthy while one restarts; "
                  + (own
                      ? "lower it"
                      : "set "
                          + Rotation.variable(Keys.MIN_OK)
                          + " for group "
                          + r.name()
                          + ", or lower min_ok")));
    }
    return config;
  }

  private static <T> Setting<T> setting(Key<T> key, JsonNode raw, Path baseDir, Origin origin)
      throws InvalidValueException {
    return new Setting<>(key, key.parser().parse(raw, baseDir), origin);
  }

  /** Where relative paths in group variables start: the inventory's directory. */
  private static Path baseDir(String source) {
    Path p = Path.of(source).toAbsolutePath();
    return Files.isDirectory(p) ? p : p.getParent();
  }
}
