package io.xrootdrestart.playbook;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A point in a restart's single {@code ansible-playbook} run where the run waits for the daemon:
 * nothing past a gate runs on the server until the daemon says {@code go} there. The gate is the
 * first task of its play, an {@code ansible.builtin.assert} that runs on the controller and reads
 * one line from the named pipe {@code gates/NAME} in the run's directory (the pipe lookup runs in
 * the playbook's directory). The daemon writes {@code go}, or {@code stop} to end the run there; if
 * nobody writes within the gate's timeout (the daemon is gone), the read fails and so does the
 * server's play: nothing more runs on it. A gate never touches a server. A replay by hand sets
 * {@link #REPLAY} and passes every gate at once.
 */
public enum Gate {
  /** Before the drain: the slot's time has come and the guard let the restart go. */
  SLOT("the slot's time and the guard's decision"),
  /** Before the cycle: the wait after the drain is over. */
  CYCLE("the end of the wait after the drain");

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

  private final String waitsFor;

  Gate(String waitsFor) {
    this.waitsFor = waitsFor;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The pipe's path relative to the run directory. */
  public String path() {
    return DIR + "/" + id();
  }

  /** The task's name, also how the daemon recognises a failure at the gate. */
  public String taskName() {
    return "Gate " + id() + ": wait for xrootdrestart's go (" + waitsFor + ")";
  }

  /**
   * The gate's task. {@code timeout} bounds the wait when the daemon is gone ({@code timeout(1)}
   * ends the read); the daemon itself never lets a gate wait that long.
   */
  public Task task(Duration timeout) {
    long seconds = Math.max(1, timeout.toSeconds());
    Map<String, Object> args = new LinkedHashMap<>();
    args.put(
        "that",
        REPLAY
            + " | default(false) | bool or lookup('ansible.builtin.pipe', 'timeout "
            + seconds
            + " head -n 1 "
            + path()
            + "') == '"
            + GO
            + "'");
    args.put(
        "fail_msg",
        "xrootdrestart did not say go at this gate (it held the restart, is stopping, or was gone"
            + " for "
            + seconds
            + " s): nothing more runs on this server");
    args.put("quiet", true);
    return new Task(
        taskName(),
        "ansible.builtin.assert",
        args,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false);
  }

  /** The gate whose task is called {@code name}, if any. */
  public static java.util.Optional<Gate> ofTask(String name) {
    for (Gate g : values()) {
      if (g.taskName().equals(name)) {
        return java.util.Optional.of(g);
      }
    }
    return java.util.Optional.empty();
  }
}
