package io.xrootdrestart.playbook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A generated playbook for one phase, with the servers it targets and how long it may take at most
 * (the runner kills it after that).
 */
public record PhasePlaybook(Phase phase, List<String> hosts, Play play, Duration budget) {
  public PhasePlaybook {
    Objects.requireNonNull(phase, "phase");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(play, "play");
    Objects.requireNonNull(budget, "budget");
  }

  /** The step of the task called {@code taskName}, if it is one of this playbook's. */
  public Optional<Step> step(String taskName) {
    return play.tasks().stream().filter(t -> t.name().equals(taskName)).map(Task::step).findFirst();
  }

  /** "drain lab1", "health 20 servers". */
  public String label() {
    return phase.id() + " " + (hosts.size() == 1 ? hosts.get(0) : hosts.size() + " servers");
  }
}
