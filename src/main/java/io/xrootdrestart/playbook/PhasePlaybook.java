package io.xrootdrestart.playbook;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A generated playbook for one phase, with the servers it targets and how long it may take at most
 * (the runner kills it after that).
 *
 * @param gate the gate its task waits behind in a restart's single run; null when it runs alone
 */
public record PhasePlaybook(
    Phase phase, List<String> hosts, Play play, Duration budget, Gate gate) {
  public PhasePlaybook {
    Objects.requireNonNull(phase, "phase");
    hosts = List.copyOf(hosts);
    Objects.requireNonNull(play, "play");
    Objects.requireNonNull(budget, "budget");
  }

  public PhasePlaybook(Phase phase, List<String> hosts, Play play, Duration budget) {
    this(phase, hosts, play, budget, null);
  }

  /** The gate of the play, if it has one. */
  public Optional<Gate> gated() {
    return Optional.ofNullable(gate);
  }

  /** The step called {@code name} in one of the play's scripts, if there is one. */
  public Optional<Step> step(String name) {
    return scripts().stream().flatMap(s -> s.step(name).stream()).findFirst();
  }

  /**
   * Whether the task called {@code name} belongs to a site's hook: the task that includes the
   * hook's file, or one of the file's own tasks (a name the play does not have), in a play that has
   * a hook.
   */
  public boolean isHookTask(String name) {
    boolean hooked = play.tasks().stream().anyMatch(Task::isInclude);
    return hooked && play.tasks().stream().noneMatch(t -> t.name().equals(name) && !t.isInclude());
  }

  /** The step scripts of the play's tasks, in order. */
  public List<StepScript> scripts() {
    return play.tasks().stream().map(Task::script).filter(Objects::nonNull).toList();
  }

  /** "drain lab1", "health 20 servers". */
  public String label() {
    return phase.id() + " " + (hosts.size() == 1 ? hosts.get(0) : hosts.size() + " servers");
  }
}
