package io.xrootdrestart.ansible;

import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.Gate;
import io.xrootdrestart.playbook.Phase;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A restart's single run, started ahead of its slot ({@link PlaybookRunner#start}): the daemon
 * reads each play's result as soon as that play is over and opens each {@link Gate} when it has
 * decided. Closing it ends the run: any gate not yet open is told {@code stop}, and the process is
 * killed if it does not end by itself soon after.
 */
public interface GatedRun extends AutoCloseable {
  /**
   * Waits until the play of {@code phase} is over on every server it targets (or the run ended, was
   * killed for its budget, or was cancelled by shutdown); its result.
   */
  RunResult await(Phase phase);

  /** Lets the run past {@code gate}. */
  void open(Gate gate);

  /**
   * Adds {@code value} under {@code key} to the run's record ({@code result.json}), if it keeps
   * one: what the daemon found out beside the plays' results (how the drain ended).
   */
  default void record(String key, Object value) {}

  /** The run's directory (playbook, events, result), if it keeps one. */
  Optional<Path> runDir();

  /**
   * Tells every gate not yet open to stop, and waits for the run to end (killing it if it must).
   */
  @Override
  void close();
}
