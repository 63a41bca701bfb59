package io.xrootdrestart.config;

import java.util.Objects;

/** A key's resolved value and where it came from. */
public record Setting<T>(Key<T> key, T value, Origin origin) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(origin, "origin");
  }

  /** The value as it would be written in the file. */
  public String text() {
    return key.format(value);
  }
}
