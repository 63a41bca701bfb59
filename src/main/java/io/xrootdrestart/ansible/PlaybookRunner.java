package io.xrootdrestart.ansible;

/** Runs one phase's playbook and returns a result per targeted server. Never throws for a remote failure. */
@FunctionalInterface
public interface PlaybookRunner {
  RunResult run(PhasePlaybook playbook);
}
