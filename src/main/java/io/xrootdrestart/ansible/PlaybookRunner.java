package io.xrootdrestart.ansible;

import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.PhasePlaybook;

/**
 * Runs one phase's playbook and returns a result per targeted server. Never throws for a remote
 * failure.
 */
@FunctionalInterface
public interface PlaybookRunner {
  RunResult run(PhasePlaybook playbook);
}
