package io.xrootdrestart.config;

/**
 * A value that does not fit its key's type; the message says what was expected and what was found.
 */
public final class InvalidValueException extends Exception {
  public InvalidValueException(String message) {
    super(message);
  }
}
