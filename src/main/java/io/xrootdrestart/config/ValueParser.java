package io.xrootdrestart.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Turns one raw value into a typed one. Values from the file arrive as the YAML node; values from
 * the environment and the command line arrive as text nodes. Relative paths resolve against {@code
 * baseDir}: the config file's directory for file values, the working directory otherwise.
 */
@FunctionalInterface
public interface ValueParser<T> {
  T parse(JsonNode raw, Path baseDir) throws InvalidValueException;
}
