package io.xrootdrestart;

/** Process exit codes, documented in the README. */
public final class ExitCodes {
  /** Everything worked. */
  public static final int OK = 0;

  /** An unexpected internal error (a bug): see the log. */
  public static final int INTERNAL = 1;

  /** Bad input: configuration, inventory or command line. Nothing was done on any server. */
  public static final int BAD_INPUT = 2;

  /** restart: the restart failed or a unit is stuck (restore was run; see the message). */
  public static final int RESTART_FAILED = 3;

  /** restart: the server could not be reached. */
  public static final int UNREACHABLE = 4;

  /** restart: the guard held the restart (too few healthy servers, or a blocking alert). */
  public static final int HELD = 5;

  /** restart: stopped by SIGTERM or SIGINT; the server was restored. */
  public static final int INTERRUPTED = 6;

  private ExitCodes() {}
}
