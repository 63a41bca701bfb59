package io.xrootdrestart.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration: every key's value and origin. Built only by {@link ConfigLoader}.
 */
public final class Config {
  private final Map<Key<?>, Setting<?>> settings;
  private final Optional<Path> file;

  Config(Map<Key<?>, Setting<?>> settings, Optional<Path> file) {
    for (Key<?> key : Keys.all()) {
      if (!settings.containsKey(key)) {
        throw new IllegalArgumentException("no value for " + key);
      }
    }
    this.settings = new LinkedHashMap<>(settings);
    this.file = file;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Key<T> key) {
    return ((Setting<T>) settings.get(key)).value();
  }

  @SuppressWarnings("unchecked")
  public <T> Setting<T> setting(Key<T> key) {
    return (Setting<T>) settings.get(key);
  }

  /** All settings in key order. */
  public List<Setting<?>> settings() {
    return new ArrayList<>(settings.values());
  }

  /** The config file that was read, if any. */
  public Optional<Path> file() {
    return file;
  }

  /**
   * This config with some values replaced (a rotation's settings from its inventory group), checked
   * again for the rules that involve two keys.
   *
   * @throws ConfigException naming where each conflicting value was set
   */
  public Config overriding(List<Setting<?>> overrides) {
    Map<Key<?>, Setting<?>> next = new LinkedHashMap<>(settings);
    overrides.forEach(s -> next.put(s.key(), s));
    List<Problem> problems = new ArrayList<>();
    ConfigLoader.crossCheck(next, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Config(next, file);
  }

  /** The daemon's SSH private key: {@code pkey_path/pkey_name}. */
  public Path privateKey() {
    return get(Keys.PKEY_PATH).resolve(get(Keys.PKEY_NAME));
  }
}
