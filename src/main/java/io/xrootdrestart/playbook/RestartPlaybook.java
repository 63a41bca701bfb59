package io.xrootdrestart.playbook;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One server's restart as a single playbook: the fleet's health, then the drain and the cycle of
 * {@code target}, each behind its {@link Gate}. Each play is one of the phase playbooks, so its
 * tasks, steps and budget are the same as when it runs alone.
 */
public record RestartPlaybook(String target, List<PhasePlaybook> sections) {
  public RestartPlaybook {
    Objects.requireNonNull(target, "target");
    sections = List.copyOf(sections);
    if (sections.isEmpty()) {
      throw new IllegalArgumentException("a restart playbook needs plays");
    }
  }

  /** The play of {@code phase}. */
  public PhasePlaybook section(Phase phase) {
    return sections.stream()
        .filter(s -> s.phase() == phase)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + phase.id() + " play"));
  }

  /** Every server any play targets, in order. */
  public List<String> hosts() {
    Set<String> all = new LinkedHashSet<>();
    sections.forEach(s -> all.addAll(s.hosts()));
    return new ArrayList<>(all);
  }

  public List<Play> plays() {
    return sections.stream().map(PhasePlaybook::play).toList();
  }

  /** "restart lab1". */
  public String label() {
    return "restart " + target;
  }
}
