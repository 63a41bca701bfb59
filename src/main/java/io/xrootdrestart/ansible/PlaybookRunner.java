package io.xrootdrestart.ansible;

import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.RestartPlaybook;

/**
 * Runs one phase's playbook and returns a result per targeted server. Never throws for a remote
 * failure.
 */
@FunctionalInterface
public interface PlaybookRunner {
  RunResult run(PhasePlaybook playbook);

  /**
   * Starts a restart's single run, which waits at each gate until the daemon opens it. By default,
   * each play runs on its own when its result is awaited (see {@link SeparateRuns}).
   */
  default GatedRun start(RestartPlaybook playbook) {
    return new SeparateRuns(this, playbook);
  }

  /**
   * Ends any run a previous daemon on the same state left going (a daemon killed with SIGKILL
   * leaves its run waiting at a gate); how many it ended. Called once at start, before anything
   * else runs.
   */
  default int endLeftovers() {
    return 0;
  }
}
