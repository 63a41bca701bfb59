package io.xrootdrestart;

/**
 * Root of the exceptions xrootdrestart raises on purpose. Each kind carries the process exit code
 * that the command line turns it into, so that a caller never has to map exception types to codes.
 */
public abstract class XrootdrestartException extends RuntimeException {
  protected XrootdrestartException(String message) {
    super(message);
  }

  protected XrootdrestartException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit code this failure maps to; see {@link ExitCodes}. */
  public abstract int exitCode();
}
