package io.xrootdrestart.ansible;

import io.xrootdrestart.events.EventParser;
import io.xrootdrestart.events.PlayEvents;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.playbook.Gate;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.PlaybookWriter;
import io.xrootdrestart.playbook.RestartPlaybook;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.InvalidExitValueException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessInitException;
import org.zeroturnaround.exec.StartedProcess;
import org.zeroturnaround.exec.stream.LogOutputStream;

/**
 * Runs phase playbooks with {@code ansible-playbook} through zt-exec: writes the playbook and the
 * extra vars into a new run directory, points {@code ANSIBLE_CONFIG} at the generated ansible.cfg,
 * streams the JSONL events to the parser (and to {@code events.jsonl}) while the run goes, and
 * kills the whole process tree when the playbook's budget passes.
 */
public final class AnsiblePlaybookRunner implements PlaybookRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AnsiblePlaybookRunner.class);
  private static final int MAX_SOCKET_DIR = 80;

  private static final long POLL_MILLIS = 100;

  private final RunnerSettings settings;
  private final Clock clock;
  private final Path ansibleConfig;
  private final BooleanSupplier cancel;

  public AnsiblePlaybookRunner(RunnerSettings settings, Clock clock) {
    this(settings, clock, () -> false);
  }

  /**
   * @param cancel when it turns true (shutdown), a running phase is killed, except {@code restore},
   *     which always runs to its end so that no unit is left stopped
   */
  public AnsiblePlaybookRunner(RunnerSettings settings, Clock clock, BooleanSupplier cancel) {
    this.settings = settings;
    this.clock = clock;
    this.cancel = cancel;
    this.ansibleConfig = writeConfig(settings);
  }

  /** Writes ansible.cfg (atomically) and the directories it names; returns its path. */
  private static Path writeConfig(RunnerSettings s) {
    try {
      Files.createDirectories(s.ansibleDir().resolve("tmp"));
      Path socketDir = controlPathDir(s);
      Files.createDirectories(socketDir);
      Files.setPosixFilePermissions(socketDir, PosixFilePermissions.fromString("rwx------"));
      Path cfg = s.ansibleDir().resolve("ansible.cfg");
      Path tmp = s.ansibleDir().resolve("ansible.cfg.tmp");
      Files.writeString(tmp, AnsibleConfig.render(s, socketDir), StandardCharsets.UTF_8);
      Files.move(tmp, cfg, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return cfg;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write Ansible's configuration under " + s.ansibleDir(), e);
    }
  }

  /** Under state_dir, unless that makes the socket path too long for a Unix socket (108 bytes). */
  static Path controlPathDir(RunnerSettings s) {
    Path preferred = s.stateDir().resolve("cp").toAbsolutePath();
    if (preferred.toString().length() <= MAX_SOCKET_DIR) {
      return preferred;
    }
    String id = Integer.toHexString(preferred.toString().hashCode());
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "xrootdrestart-cp-" + System.getProperty("user.name") + "-" + id);
  }

  public Path ansibleConfig() {
    return ansibleConfig;
  }

  @Override
  public RunResult run(PhasePlaybook playbook) {
    RunDirectory run =
        RunDirectory.create(settings.runsDir(), clock.instant(), playbook, settings.keepRuns());
    run.write("playbook.yml", PlaybookWriter.write(playbook));
    run.writeJson("extra-vars.json", AnsibleConfig.extraVars(settings));
    List<String> command = command(settings, playbook.hosts().size(), run.path());
    EventParser parser = EventParser.of(playbook);
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    long start = System.nanoTime();
    int exitCode;
    boolean killed = false;
    LOG.debug(
        "{}: {} (budget {} s, {})",
        playbook.label(),
        String.join(" ", command),
        playbook.budget().toSeconds(),
        run.path());
    try (Launched launched = launch(command, run, parser::accept, stderr, playbook.label())) {
      BooleanSupplier cancelThis = playbook.phase() == Phase.RESTORE ? () -> false : cancel;
      exitCode = await(launched.process(), playbook.budget(), cancelThis);
      if (exitCode == KILLED) {
        killed = true;
      }
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    String errText = stderr.toString(StandardCharsets.UTF_8);
    run.keep("stderr.log", errText);
    RunResult result = parser.finish(exitCode, took, killed, errText, Optional.of(run.path()));
    run.keepJson("result.json", summary(command, environment(), result));
    return result;
  }

  /**
   * Starts a restart's single run: the playbook, its extra vars and the gates' named pipes in a new
   * run directory, then {@code ansible-playbook}, which waits at the first gate once the health
   * play is over.
   */
  @Override
  public GatedRun start(RestartPlaybook playbook) {
    RunDirectory run =
        RunDirectory.create(
            settings.runsDir(), clock.instant(), playbook.target(), "restart", settings.keepRuns());
    run.write("playbook.yml", PlaybookWriter.write(playbook));
    run.writeJson("extra-vars.json", AnsibleConfig.extraVars(settings));
    makePipes(run);
    List<String> command = command(settings, playbook.hosts().size(), run.path());
    PlayEvents events = new PlayEvents(playbook.sections());
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    LOG.debug("{}: {} ({})", playbook.label(), String.join(" ", command), run.path());
    Launched launched = launch(command, run, events::accept, stderr, playbook.label());
    return new AnsibleGatedRun(
        playbook, run, launched.process(), events, stderr, cancel, launched::close);
  }

  /**
   * Every ansible-playbook whose command line names this state's run directory and that is not
   * ours: killed with its children. Its runs stop where they are; the caller restores what needs
   * it.
   */
  @Override
  public int endLeftovers() {
    String runs = settings.runsDir().toAbsolutePath().toString() + "/";
    java.util.Set<Long> ours =
        ProcessHandle.current()
            .descendants()
            .map(ProcessHandle::pid)
            .collect(java.util.stream.Collectors.toSet());
    List<ProcessHandle> left =
        ProcessHandle.allProcesses()
            .filter(p -> !ours.contains(p.pid()) && p.pid() != ProcessHandle.current().pid())
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(a -> java.util.Arrays.stream(a).anyMatch(w -> w.contains(runs)))
                        .orElse(false))
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(a -> String.join(" ", a))
                        .orElse("")
                        .contains("ansible-playbook"))
            .toList();
    for (ProcessHandle p : left) {
      LOG.warn(
          "ending a run a previous daemon left going: pid {} ({})",
          p.pid(),
          p.info().commandLine().orElse("?"));
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    return left.size();
  }

  /** The gates' named pipes (mkfifo: Java cannot make one). */
  private static void makePipes(RunDirectory run) {
    List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "0600"));
    for (Gate g : Gate.values()) {
      command.add(run.file(g.path()).toString());
    }
    try {
      java.nio.file.Files.createDirectories(run.file(Gate.DIR));
      new ProcessExecutor(command)
          .exitValueNormal()
          .redirectErrorStream(true)
          .readOutput(true)
          .execute();
    } catch (IOException e) {
      // state_dir read-only or full: the daemon holds the slot (nothing was done on a server)
      throw new UncheckedIOException("cannot make the gates in " + run.path(), e);
    } catch (InvalidExitValueException e) {
      throw new UncheckedIOException(
          "cannot make the gates in " + run.path(),
          new IOException(
              "mkfifo exited with "
                  + e.getExitValue()
                  + ": "
                  + e.getResult().outputUTF8().strip()));
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot make the gates in " + run.path() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making the gates", e);
    }
  }

  /** A started ansible-playbook and the events file it writes to; closing closes the file. */
  record Launched(StartedProcess process, BufferedWriter events) implements AutoCloseable {
    @Override
    public void close() {
      try {
        events.close();
      } catch (IOException e) {
        // a full disk: the write that failed was logged already
        LOG.debug("cannot close an events file: {}", e.getMessage());
      }
    }
  }

  private Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ANSIBLE_CONFIG", ansibleConfig.toString());
    env.put("ANSIBLE_STDOUT_CALLBACK", "ansible.posix.jsonl");
    env.put("ANSIBLE_FORCE_COLOR", "0");
    env.put("PYTHONUNBUFFERED", "1");
    return env;
  }

  /**
   * Starts ansible-playbook with the run's environment: each line it prints goes to {@code onLine}
   * and to {@code events.jsonl}, its standard error to {@code stderr}.
   */
  private Launched launch(
      List<String> command,
      RunDirectory run,
      java.util.function.Consumer<String> onLine,
      ByteArrayOutputStream stderr,
      String label) {
    BufferedWriter events = null;
    try {
      events = Files.newBufferedWriter(run.file("events.jsonl"), StandardCharsets.UTF_8);
      BufferedWriter out = events;
      StartedProcess process =
          new ProcessExecutor(command)
              .environment(environment())
              .redirectOutput(
                  new LogOutputStream() {
                    private boolean unwritable;

                    @Override
                    protected void processLine(String line) {
                      onLine.accept(line);
                      try {
                        out.write(line);
                        out.newLine();
                        out.flush();
                      } catch (IOException e) {
                        if (!unwritable) { // once: a full disk would fail every line
                          unwritable = true;
                          LOG.warn("cannot write {}: {}", run.file("events.jsonl"), e.getMessage());
                        }
                      }
                    }
                  })
              .redirectError(stderr)
              .redirectInput(new java.io.ByteArrayInputStream(new byte[0]))
              .destroyOnExit()
              .start();
      return new Launched(process, events);
    } catch (ProcessInitException e) {
      closeQuietly(events);
      throw e.getErrorCode() == 2
          ? new ToolNotFoundException("ansible-playbook", e)
          : new UncheckedIOException("cannot start ansible-playbook", e);
    } catch (IOException e) {
      closeQuietly(events);
      throw new UncheckedIOException("cannot run ansible-playbook for " + label, e);
    }
  }

  private static void closeQuietly(BufferedWriter w) {
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        // already failing
      }
    }
  }

  /**
   * The command line of one run. Forks follow this playbook's hosts (all of them in parallel, up to
   * {@value #MAX_FORKS}); they are never written into the shared ansible.cfg, so a run for 3
   * servers cannot leave a later run for 20 with 3 forks.
   */
  static List<String> command(RunnerSettings settings, int hosts, Path runDir) {
    int forks = Math.max(1, Math.min(hosts, MAX_FORKS));
    return List.of(
        "ansible-playbook",
        "-i",
        settings.inventory(),
        "--forks",
        Integer.toString(forks),
        "-e",
        "@" + runDir.resolve("extra-vars.json"),
        runDir.resolve("playbook.yml").toString());
  }

  static final int MAX_FORKS = 50;

  static final int KILLED = -1;

  /**
   * Waits for the process; past the budget, on cancel or on interrupt, kills it and all its
   * children.
   */
  private static int await(StartedProcess process, Duration budget, BooleanSupplier cancel) {
    long deadline = System.nanoTime() + budget.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("ansible-playbook ran past its budget of {} s; killing it", budget.toSeconds());
          killTree(process.getProcess());
          return KILLED;
        }
        if (cancel.getAsBoolean()) {
          LOG.info("shutdown: stopping the running ansible-playbook");
          killTree(process.getProcess());
          return KILLED;
        }
        try {
          return process
              .getFuture()
              .get(
                  Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MILLIS),
                  TimeUnit.MILLISECONDS)
              .getExitValue();
        } catch (TimeoutException e) {
          // not yet: look at the budget and the cancel flag again
        }
      }
    } catch (InterruptedException e) {
      killTree(process.getProcess());
      Thread.currentThread().interrupt();
      return KILLED;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof InvalidExitValueException bad) {
        return bad.getExitValue();
      }
      throw new IllegalStateException("ansible-playbook failed to run", e.getCause());
    }
  }

  static void killTree(Process process) {
    List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList());
    all.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, Object> summary(
      List<String> command, Map<String, String> env, RunResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", r.phase().id());
    m.put("exit_code", r.exitCode());
    m.put("killed", r.killed());
    m.put("duration_seconds", r.duration().toMillis() / 1000.0);
    m.put("command", command);
    m.put("environment", env);
    m.put("hosts", hosts(r));
    return m;
  }

  /** Each host's outcome, failed step and message, for result.json. */
  static Map<String, Object> hosts(RunResult r) {
    Map<String, Object> hosts = new LinkedHashMap<>();
    r.hosts()
        .forEach(
            (h, hr) -> {
              Map<String, Object> hm = new LinkedHashMap<>();
              hm.put("outcome", hr.outcome().name());
              hm.put("step", hr.step().orElse(null));
              hm.put("message", hr.message());
              hosts.put(h, hm);
            });
    return hosts;
  }
}
