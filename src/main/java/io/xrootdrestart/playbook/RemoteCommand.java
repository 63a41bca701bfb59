package io.xrootdrestart.playbook;

import java.util.ArrayList;
import java.util.List;

/**
 * The remote commands the daemon runs on a server, all {@code sudo -n /usr/bin/systemctl ...}. The
 * sudo rule that setup.yml installs allows exactly the ones {@link RestartSequence#commands} lists.
 */
public enum RemoteCommand {
  START("start"),
  STOP("stop"),
  IS_ACTIVE("is-active"),
  KILL("kill", "--signal=SIGKILL"),
  /** Not per unit: the server itself, only with escalate_reboot. */
  REBOOT("reboot");

  public static final String SYSTEMCTL = "/usr/bin/systemctl";

  private final List<String> words;

  RemoteCommand(String... words) {
    this.words = List.of(words);
  }

  public boolean perUnit() {
    return this != REBOOT;
  }

  /** The words after {@code systemctl}, before the unit: ["kill", "--signal=SIGKILL"]. */
  public List<String> words() {
    return words;
  }

  /**
   * The command's arguments, as sudo matches them: ["/usr/bin/systemctl", "start", "cmsd@cluster"].
   */
  public List<String> argv(String unit) {
    List<String> argv = new ArrayList<>(List.of(SYSTEMCTL));
    argv.addAll(words);
    if (perUnit()) {
      argv.add(unit);
    }
    return argv;
  }

  /** What the remote shell runs ({@code raw}): "sudo -n /usr/bin/systemctl start cmsd@cluster". */
  public String shell(String unit) {
    return "sudo -n " + String.join(" ", argv(unit));
  }
}
