package io.xrootdrestart;

/**
 * Input that cannot be used (config, inventory, command line). Nothing has been done when it is
 * thrown.
 */
public class BadInputException extends XrootdrestartException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public int exitCode() {
    return ExitCodes.BAD_INPUT;
  }
}
