package io.xrootdrestart;

/** Process exit codes, documented in the README. */
public final class ExitCodes {
  /** Everything worked. */
  public static final int OK = 0;
  /** An unexpected internal error (a bug): see the log. */
  public static final int INTERNAL = 1;
  /** Bad input: configuration, inventory or command line. Nothing was done on any server. */
  public static final int BAD_INPUT = 2;

  private ExitCodes() {}
}
