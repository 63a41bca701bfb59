package io.xrootdrestart.playbook;

import java.util.Locale;

/** The remote actions xrootdrestart takes, one generated playbook each. */
public enum Phase {
  /** Stop cmsd, so the redirector sends the server no new clients. */
  DRAIN,
  /**
   * After the drain (drain_until_idle): wait until no file is open on the server, at most
   * cmsd_wait.
   */
  IDLE,
  /** Stop xrootd, start xrootd, start cmsd, each verified. */
  CYCLE,
  /** Start whichever of the two units is not active. */
  RESTORE,
  /** SIGKILL a unit that will not stop, then wait until it is inactive. */
  KILL,
  /** The state of both units on every server. */
  HEALTH,
  /** {@code systemctl reboot}: the last resort for a stuck unit, only with escalate_reboot. */
  REBOOT;

  /** Lower-case name, as used in run directory names and metrics. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
