package io.xrootdrestart.playbook;

import java.time.Duration;
import java.util.Locale;

/**
 * A point in a restart's single {@code ansible-playbook} run where the run waits for the daemon:
 * nothing past a gate runs on the server until the daemon says {@code go} there. The gate is the
 * {@code when} of its phase's one task: a pipe lookup, run on the controller in the playbook's
 * directory, that reads one line from the named pipe {@code gates/NAME}. The daemon writes {@code
 * go}, or {@code stop} to end the run there (the task is skipped); if nobody writes within the
 * gate's timeout (the daemon is gone), the read fails and so does the server's task: nothing more
 * runs on it. Evaluating the gate never touches a server, and costs no task of its own. A replay by
 * hand sets {@link #REPLAY} and passes every gate at once.
 */
public enum Gate {
  /** Before the drain: the slot's time has come and the guard let the restart go. */
  SLOT,
  /** Before the cycle: the wait after the drain is over. */
  CYCLE;

  /** What the daemon writes to open a gate. */
  public static final String GO = "go";

  /** What the daemon writes to end the run at a gate. */
  public static final String STOP = "stop";

  /**
   * The extra var that lets a replay by hand ({@code -e xrootdrestart_replay=true}) run straight
   * through every gate; the daemon never sets it.
   */
  public static final String REPLAY = "xrootdrestart_replay";

  /** The folder of the gates' pipes, relative to the playbook. */
  public static final String DIR = "gates";

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The pipe's path relative to the run directory. */
  public String path() {
    return DIR + "/" + id();
  }

  /**
   * The gate as the {@code when} of its phase's task. {@code timeout} bounds the wait when the
   * daemon is gone ({@code timeout(1)} ends the read, the lookup fails, and so does the task); the
   * daemon itself never lets a gate wait that long.
   */
  public String condition(Duration timeout) {
    long seconds = Math.max(1, timeout.toSeconds());
    return REPLAY
        + " | default(false) | bool or lookup('ansible.builtin.pipe', 'timeout "
        + seconds
        + " head -n 1 "
        + path()
        + "') == '"
        + GO
        + "'";
  }
}
