package io.xrootdrestart.ansible;

import io.xrootdrestart.events.PlayEvents;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.Gate;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.RestartPlaybook;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.StartedProcess;

/**
 * A restart's single {@code ansible-playbook} run (see {@link GatedRun}). The gates are named pipes
 * in the run directory: opening one writes {@code go} into it through a read-write descriptor,
 * which never blocks and keeps the line there until the run reads it. The descriptors stay open
 * until the run ends.
 */
final class AnsibleGatedRun implements GatedRun {
  private static final Logger LOG = LoggerFactory.getLogger(AnsibleGatedRun.class);

  /** How long a run told to stop may take to end by itself before it is killed. */
  private static final Duration STOPPING = Duration.ofSeconds(30);

  private static final Duration UNUSED = Duration.ofSeconds(1);

  private final RestartPlaybook playbook;
  private final RunDirectory run;
  private final StartedProcess process;
  private final PlayEvents events;
  private final ByteArrayOutputStream stderr;
  private final BooleanSupplier cancel;
  private final Runnable onEnd;
  private final long started = System.nanoTime();
  private final Map<Gate, RandomAccessFile> pipes = new EnumMap<>(Gate.class);
  private final java.util.Set<Gate> opened = java.util.EnumSet.noneOf(Gate.class);
  private final Map<Phase, Long> sectionStart = new EnumMap<>(Phase.class);
  private final Map<Phase, RunResult> results = new EnumMap<>(Phase.class);
  private final Map<String, Object> records = new LinkedHashMap<>();
  private volatile boolean killed;
  private boolean closed;

  AnsibleGatedRun(
      RestartPlaybook playbook,
      RunDirectory run,
      StartedProcess process,
      PlayEvents events,
      ByteArrayOutputStream stderr,
      BooleanSupplier cancel,
      Runnable onEnd) {
    this.playbook = playbook;
    this.run = run;
    this.process = process;
    this.events = events;
    this.stderr = stderr;
    this.cancel = cancel;
    this.onEnd = onEnd;
    sectionStart.put(playbook.sections().get(0).phase(), started);
  }

  @Override
  public RunResult await(Phase phase) {
    RunResult done = results.get(phase);
    if (done != null) {
      return done;
    }
    PhasePlaybook section = playbook.section(phase);
    Long from = sectionStart.get(phase);
    if (from == null) {
      throw new IllegalStateException(phase.id() + " awaited before its gate was opened");
    }
    long deadline = from + section.budget().toNanos();
    boolean cancellable = phase != Phase.RESTORE;
    RunResult r;
    try {
      while (true) {
        synchronized (events) {
          if (events.over(phase)) {
            r = events.result(phase, since(from), Optional.of(run.path()));
            break;
          }
        }
        if (!process.getProcess().isAlive()) {
          ended();
          synchronized (events) {
            r =
                events.over(phase)
                    ? events.result(phase, since(from), Optional.of(run.path()))
                    : events.finish(
                        phase,
                        exitCode(),
                        since(from),
                        killed,
                        stderrText(),
                        Optional.of(run.path()));
          }
          break;
        }
        if (System.nanoTime() - deadline > 0) {
          LOG.warn(
              "{}: the {} play ran past its budget of {} s; killing the run",
              playbook.label(),
              phase.id(),
              section.budget().toSeconds());
          kill();
        } else if (cancellable && cancel.getAsBoolean()) {
          LOG.info("shutdown: stopping the running ansible-playbook");
          kill();
        } else {
          synchronized (events) {
            events.wait(100);
          }
        }
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
      ended();
      r = events.finish(phase, -1, since(from), true, stderrText(), Optional.of(run.path()));
    }
    results.put(phase, r);
    startsAfter(phase);
    return r;
  }

  /**
   * A play without a gate starts as soon as the one before it is over: its time counts from when
   * the daemon read that.
   */
  private void startsAfter(Phase phase) {
    var sections = playbook.sections();
    for (int i = 0; i + 1 < sections.size(); i++) {
      PhasePlaybook next = sections.get(i + 1);
      if (sections.get(i).phase() == phase && next.gate() == null) {
        sectionStart.putIfAbsent(next.phase(), System.nanoTime());
      }
    }
  }

  @Override
  public void open(Gate gate) {
    write(gate, Gate.GO);
    opened.add(gate);
    Phase behind = sectionBehind(gate);
    sectionStart.put(behind, System.nanoTime());
  }

  private Phase sectionBehind(Gate gate) {
    for (PhasePlaybook p : playbook.sections()) {
      if (p.gate() == gate) {
        return p.phase();
      }
    }
    throw new IllegalArgumentException("no play behind the " + gate.id() + " gate");
  }

  private void write(Gate gate, String word) {
    if (pipes.containsKey(gate)) {
      return;
    }
    Path pipe = run.file(gate.path());
    try {
      RandomAccessFile raf = new RandomAccessFile(pipe.toFile(), "rw");
      pipes.put(gate, raf);
      raf.write((word + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the gate " + pipe, e);
    }
  }

  @Override
  public void record(String key, Object value) {
    records.put(key, value);
  }

  @Override
  public Optional<Path> runDir() {
    return Optional.of(run.path());
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (PhasePlaybook p : playbook.sections()) {
      p.gated().ifPresent(g -> write(g, Gate.STOP));
    }
    // A run whose gates were never opened has done nothing but read (the health play, and the idle
    // wait, which is not gated and would wait out cmsd_wait on a server never drained): it is
    // ended at once. One that went past a gate gets the time to stop where it is.
    Duration grace = opened.isEmpty() ? UNUSED : STOPPING;
    try {
      if (!process.getProcess().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        if (opened.isEmpty()) {
          LOG.debug("{}: ending the unused run", playbook.label());
        } else {
          LOG.warn("{}: the run did not end when told to stop; killing it", playbook.label());
        }
        kill();
      }
    } catch (InterruptedException e) {
      kill();
      Thread.currentThread().interrupt();
    }
    ended();
    for (RandomAccessFile raf : pipes.values()) {
      try {
        raf.close();
      } catch (IOException e) {
        LOG.debug("closing a gate: {}", e.toString());
      }
    }
    run.keepJson("result.json", summary());
  }

  private void kill() {
    killed = true;
    AnsiblePlaybookRunner.killTree(process.getProcess());
  }

  /** Waits until the reader of the stream has seen everything the process printed. */
  private void ended() {
    try {
      process.getFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a non-zero exit, or the kill: the exit code says which
    }
    onEnd.run();
  }

  private int exitCode() {
    return killed ? AnsiblePlaybookRunner.KILLED : process.getProcess().exitValue();
  }

  private String stderrText() {
    synchronized (stderr) {
      return stderr.toString(StandardCharsets.UTF_8);
    }
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  private Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("restart", playbook.target());
    m.put("exit_code", process.getProcess().isAlive() ? null : exitCode());
    m.put("killed", killed);
    m.put("duration_seconds", since(started).toMillis() / 1000.0);
    m.put("gates_opened", opened.stream().map(Gate::id).toList());
    Map<String, Object> plays = new LinkedHashMap<>();
    for (Map.Entry<Phase, RunResult> e : results.entrySet()) {
      plays.put(e.getKey().id(), AnsiblePlaybookRunner.hosts(e.getValue()));
    }
    m.put("plays", plays);
    m.putAll(records);
    run.keep("stderr.log", stderrText());
    return m;
  }
}
