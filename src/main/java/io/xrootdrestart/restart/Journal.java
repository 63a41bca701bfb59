package io.xrootdrestart.restart;

import io.xrootdrestart.playbook.Phase;

/**
 * Durable record of the phase about to run, so that a crash is followed by a restore of that
 * server.
 */
public interface Journal {
  /** Written (and synced) before {@code phase} starts on {@code server}. */
  void beforePhase(String server, Phase phase);

  /** The restart is over; nothing is in flight. */
  void done(String server);
}
