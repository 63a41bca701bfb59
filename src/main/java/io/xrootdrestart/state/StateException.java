package io.xrootdrestart.state;

import io.xrootdrestart.BadInputException;

/** The state directory cannot be used (unreadable state file, another daemon holds the lock). */
public final class StateException extends BadInputException {
  public StateException(String message) {
    super(message);
  }

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }
}
