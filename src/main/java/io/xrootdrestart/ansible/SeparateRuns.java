package io.xrootdrestart.ansible;

import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.Gate;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Play;
import io.xrootdrestart.playbook.RestartPlaybook;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link GatedRun} made of one run per play: each play runs when its result is first awaited,
 * without its gate task, once its gate is open. What a runner that cannot hold a run at a gate does
 * (a scripted runner in the unit tests); the same plays, in the same order, under the same
 * decisions.
 */
final class SeparateRuns implements GatedRun {
  private final PlaybookRunner runner;
  private final RestartPlaybook playbook;
  private final Map<Phase, RunResult> done = new EnumMap<>(Phase.class);
  private final Set<Gate> open = EnumSet.noneOf(Gate.class);

  SeparateRuns(PlaybookRunner runner, RestartPlaybook playbook) {
    this.runner = runner;
    this.playbook = playbook;
  }

  @Override
  public RunResult await(Phase phase) {
    RunResult r = done.get(phase);
    if (r == null) {
      PhasePlaybook section = playbook.section(phase);
      Gate gate = section.gate();
      if (gate != null && !open.contains(gate)) {
        throw new IllegalStateException(phase.id() + " awaited before its gate was opened");
      }
      r = runner.run(withoutGate(section));
      done.put(phase, r);
    }
    return r;
  }

  @Override
  public void open(Gate gate) {
    open.add(gate);
  }

  @Override
  public Optional<Path> runDir() {
    return Optional.empty();
  }

  @Override
  public void close() {
    // each play's run ended with it
  }

  private static PhasePlaybook withoutGate(PhasePlaybook p) {
    if (p.gate() == null) {
      return p;
    }
    Play play = p.play();
    return new PhasePlaybook(
        p.phase(),
        p.hosts(),
        new Play(
            play.name(),
            play.hosts(),
            play.vars(),
            play.tasks().stream().map(t -> t.when(null)).toList()),
        p.budget());
  }
}
