package io.xrootdrestart.config;

import java.util.Objects;

/** One thing wrong with the input, with where it is: "FILE:LINE: KEY: what is wrong". */
public record Problem(Origin origin, String key, String message) {
  public Problem {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return origin.describe() + ": " + (key == null || key.isEmpty() ? "" : key + ": ") + message;
  }
}
