package io.xrootdrestart.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits the event stream of a run of several plays (a restart's single run) by play: each play's
 * events go to its own {@link EventParser}, and a play is over when every host has reported on its
 * last task, a later play starts, or the run's final stats arrive. Fed by the thread that reads the
 * stream, read by the daemon's: every method is synchronized, and {@link #accept} wakes any thread
 * waiting on this object.
 */
public final class PlayEvents {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> names = new ArrayList<>();
  private final List<Phase> phases = new ArrayList<>();
  private final List<EventParser> parsers = new ArrayList<>();
  private final List<String> lastTasks = new ArrayList<>();
  private final List<String> noise = new ArrayList<>();
  private int current = -1;
  private boolean statsSeen;

  public PlayEvents(List<PhasePlaybook> plays) {
    for (PhasePlaybook p : plays) {
      names.add(p.play().name());
      phases.add(p.phase());
      parsers.add(EventParser.of(p));
      List<Task> tasks = p.play().tasks();
      Task last = tasks.get(tasks.size() - 1);
      // a site's task file ends with tasks of its own, which the play does not know: such a play
      // is over only when a later play starts or the run ends
      lastTasks.add(last.isInclude() ? null : last.name());
    }
  }

  /** One line of the stream. */
  public synchronized void accept(String line) {
    if (line.isBlank()) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      noise.add(line);
      return;
    }
    String type = event.path("_event").asText();
    if (type.equals("v2_playbook_on_play_start")) {
      int i = names.indexOf(event.path("play").path("name").asText());
      if (i > current) {
        current = i;
      }
    } else if (type.equals("v2_playbook_on_stats")) {
      statsSeen = true;
      parsers.forEach(p -> p.accept(event));
    } else if (current >= 0) {
      parsers.get(current).accept(event);
    }
    notifyAll();
  }

  /**
   * Whether the play of {@code phase} is over while the run goes on, or the run reported its end.
   */
  public synchronized boolean over(Phase phase) {
    int i = phases.indexOf(phase);
    return current > i
        || statsSeen
        || (current == i
            && lastTasks.get(i) != null
            && parsers.get(i).allReported(lastTasks.get(i)));
  }

  /** The result of a play that is {@link #over}. */
  public synchronized RunResult result(Phase phase, Duration took, Optional<Path> runDir) {
    return parser(phase).finishPlay(took, runDir);
  }

  /** The result of a play once the run has ended (exited or killed) before it was over. */
  public synchronized RunResult finish(
      Phase phase,
      int exitCode,
      Duration took,
      boolean killed,
      String stderr,
      Optional<Path> runDir) {
    String why = String.join(" ", noise) + " " + stderr;
    return parser(phase).finish(exitCode, took, killed, why, runDir);
  }

  private EventParser parser(Phase phase) {
    int i = phases.indexOf(phase);
    if (i < 0) {
      throw new IllegalArgumentException("no " + phase.id() + " play in this run");
    }
    return parsers.get(i);
  }
}
