package io.xrootdrestart.playbook;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.HealthCheckKind;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.StartOrder;
import io.xrootdrestart.inventory.Server;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the playbook of each phase. Every remote command is {@code sudo -n /usr/bin/systemctl VERB
 * UNIT}, exactly as the sudo rule installed by setup.yml lists it ({@code become} cannot work with
 * a rule limited to named commands), run with {@code ansible.builtin.raw}: one SSH command over the
 * open connection, without shipping a Python module to the server. A phase is one task, the script
 * of its steps ({@link StepScript}): each Ansible task costs a forked worker, about 0.2 s of CPU
 * and of wall time beyond its command, so one task per step was most of a restart's cost. The unit
 * names are checked at load time (letters, digits, {@code _ - . @}), so the remote shell reads them
 * literally. A stop or start may take {@code service_timeout}; the unit must then reach the wanted
 * state within {@code service_timeout}, polled every second.
 */
public final class Phases {
  /**
   * What one task costs beyond its own command (module start, SSH round trip), for the run's
   * budget.
   */
  private static final Duration PER_TASK = Duration.ofSeconds(15);

  private static final Duration PER_RUN = Duration.ofSeconds(30);

  private final Duration serviceTimeout;
  private final Duration connectTimeout;
  private final StartOrder startOrder;
  private final Optional<Duration> verifyTimeout;
  private final boolean drainUntilIdle;

  /**
   * @param startOrder which unit the cycle starts first
   * @param verifyTimeout with health_check xrootd, how long the cycle then waits for the server to
   *     serve again; empty: the cycle ends when the units are active
   * @param drainUntilIdle whether a restart's run waits after the drain until no file is open
   *     ({@link #idle}); otherwise the daemon waits the whole cmsd_wait
   */
  public Phases(
      Duration serviceTimeout,
      Duration connectTimeout,
      StartOrder startOrder,
      Optional<Duration> verifyTimeout,
      boolean drainUntilIdle) {
    if (serviceTimeout.isNegative() || serviceTimeout.isZero() || connectTimeout.isNegative()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    this.serviceTimeout = serviceTimeout;
    this.connectTimeout = connectTimeout;
    this.startOrder = startOrder;
    this.verifyTimeout = verifyTimeout;
    this.drainUntilIdle = drainUntilIdle;
  }

  public Phases(Duration serviceTimeout, Duration connectTimeout) {
    this(serviceTimeout, connectTimeout, StartOrder.XROOTD_FIRST, Optional.empty(), false);
  }

  public static Phases from(Config config) {
    boolean verify = config.get(Keys.HEALTH_CHECK) == HealthCheckKind.XROOTD;
    return new Phases(
            config.get(Keys.SERVICE_TIMEOUT),
            config.get(Keys.CONNECT_TIMEOUT),
            config.get(Keys.START_ORDER),
            verify ? Optional.of(config.get(Keys.VERIFY_TIMEOUT)) : Optional.empty(),
            config.get(Keys.DRAIN_UNTIL_IDLE))
        .withHooks(Hooks.from(config));
  }

  private Hooks hooks = Hooks.NONE;

  /** The same phases, with the site's task files around each restart. */
  public Phases withHooks(Hooks hooks) {
    Phases p =
        new Phases(serviceTimeout, connectTimeout, startOrder, verifyTimeout, drainUntilIdle);
    p.hooks = java.util.Objects.requireNonNull(hooks);
    return p;
  }

  public Hooks hooks() {
    return hooks;
  }

  /** Whether a restart waits after the drain only until no file is open (drain_until_idle). */
  public boolean drainUntilIdle() {
    return drainUntilIdle;
  }

  /**
   * Reading a state is instant; its timeout only has to outlast SSH noticing a dead connection
   * (about 12 s with the keepalives the runner sets), so that a lost server reads as unreachable.
   */
  private static final int READ_TIMEOUT = 30;

  private int readSeconds() {
    return Math.max(taskSeconds(), READ_TIMEOUT);
  }

  /** Whole seconds of service_timeout, for the polls. */
  private int seconds() {
    return ceilSeconds(serviceTimeout);
  }

  /** A task's own limit: service_timeout plus the time the SSH connection may take. */
  private int taskSeconds() {
    return ceilSeconds(serviceTimeout.plus(connectTimeout));
  }

  private static int ceilSeconds(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (d.toMillis() + 999) / 1000));
  }

  /** Stop cmsd and wait until it is stopped: the redirector stops sending new clients. */
  public PhasePlaybook drain(Server s) {
    return single(
        Phase.DRAIN,
        s,
        "Drain "
            + s.name()
            + ": stop "
            + s.cmsdUnit()
            + " so that the redirector sends no new clients",
        "Stop " + s.cmsdUnit() + ", then wait until it is inactive",
        RestartSequence.DRAIN);
  }

  /**
   * After the drain: wait until no file is open on the server for reading or writing, at most
   * {@code atMost} (cmsd_wait). Never fails on a busy server; its output says how the wait ended
   * ({@link StepScript#IDLE} or {@link StepScript#BUSY}).
   */
  public PhasePlaybook idle(Server s, Duration atMost) {
    return single(
        Phase.IDLE,
        s,
        "Wait until no file is open on " + s.name() + ", at most " + atMost.toSeconds() + " s",
        IDLE_TASK,
        RestartSequence.IDLE,
        ceilSeconds(atMost));
  }

  /** The idle play's one task; its output is one line, how the wait ended. */
  public static final String IDLE_TASK = "Wait until no file is open for reading or writing";

  /** Stop xrootd, start it again, then start cmsd; each verified. */
  public PhasePlaybook cycle(Server s) {
    return single(
        Phase.CYCLE,
        s,
        "Cycle " + s.name() + ": " + cycleText(s),
        cycleTask(s),
        RestartSequence.cycle(startOrder, verifyTimeout.isPresent()));
  }

  private String cycleText(Server s) {
    String text =
        startOrder == StartOrder.CMSD_FIRST
            ? "stop " + s.xrootdUnit() + ", start " + s.cmsdUnit() + ", then " + s.xrootdUnit()
            : "restart " + s.xrootdUnit() + ", then start " + s.cmsdUnit();
    return text + (verifyTimeout.isPresent() ? "; then wait until it serves" : "");
  }

  private String cycleTask(Server s) {
    String first = startOrder == StartOrder.CMSD_FIRST ? s.cmsdUnit() : s.xrootdUnit();
    String second = startOrder == StartOrder.CMSD_FIRST ? s.xrootdUnit() : s.cmsdUnit();
    return "Stop "
        + s.xrootdUnit()
        + ", start "
        + first
        + ", then "
        + second
        + ", each verified"
        + (verifyTimeout.isPresent() ? "; then wait until xrootd is in the cluster" : "");
  }

  /** Start whichever unit is not active, xrootd first, so that no unit is left stopped. */
  public PhasePlaybook restore(Server s) {
    return single(
        Phase.RESTORE,
        s,
        "Restore "
            + s.name()
            + ": start whichever of "
            + s.xrootdUnit()
            + " and "
            + s.cmsdUnit()
            + " is not active",
        "Start " + s.xrootdUnit() + ", then " + s.cmsdUnit() + ", unless active, each verified",
        RestartSequence.RESTORE);
  }

  /** SIGKILL a unit that did not stop within the timeout, then wait until it is stopped. */
  public PhasePlaybook kill(Server s, String unit) {
    RestartSequence.Unit which =
        unit.equals(s.cmsdUnit())
            ? RestartSequence.Unit.CMSD
            : unit.equals(s.xrootdUnit()) ? RestartSequence.Unit.XROOTD : null;
    if (which == null) {
      throw new IllegalArgumentException(unit + " is not a unit of " + s.name());
    }
    return single(
        Phase.KILL,
        s,
        "Kill " + s.name() + ": " + unit + " did not stop; send it SIGKILL",
        "Kill " + unit + " with SIGKILL, then wait until it is inactive",
        RestartSequence.kill(which));
  }

  /**
   * Reboots the server, the last resort for a unit that survives SIGKILL (escalate_reboot). The SSH
   * connection may drop while the command runs, so any outcome means "reboot requested".
   */
  public PhasePlaybook reboot(Server s) {
    return single(
        Phase.REBOOT,
        s,
        "Reboot " + s.name() + ": a unit is stuck even after SIGKILL (escalate_reboot)",
        "Reboot " + s.name(),
        RestartSequence.REBOOT);
  }

  /**
   * How many servers one Ansible worker reads in turn in the health play. Ansible forks a worker
   * per host and task, about 0.35 s of CPU each on a 2-core controller, so 200 servers would cost
   * 70 s of CPU; a worker that reads its servers one after the other over SSH pays about 0.05 s per
   * server instead. Shards of 16 keep the play's wall time near 16 reads (about 1 s) however big
   * the fleet, with one worker per 16 servers in parallel.
   */
  static final int SHARD = 16;

  /**
   * Reads the state of both units on every server; never fails a host (a server whose state cannot
   * be read counts as unhealthy). The servers are cut into shards of {@link #SHARD}; the play runs
   * on the first server of each shard, whose one task loops over its shard, delegated to each
   * server in turn ({@code delegate_to}: each read is that server's own SSH command, with its own
   * connection settings, and an unreachable one only marks its own item). Per-host unit names and
   * the shards come from play vars.
   */
  public PhasePlaybook health(List<Server> servers) {
    return health(servers, false);
  }

  /**
   * The query that tells whether a server serves: its xrootd, asked on the server itself, says
   * whether it is logged in to its cmsd and in the cluster (the reply ends in {@code /a}, {@code
   * /d} when not). These settings cut the client's retries and timeouts, checked every second
   * instead of every 15, so that a dead or frozen xrootd answers nothing within 5 s instead of
   * minutes.
   */
  static final String XROOTD_ENV =
      "export XRD_CONNECTIONRETRY=1 XRD_REQUESTTIMEOUT=3 XRD_STREAMTIMEOUT=3"
          + " XRD_TIMEOUTRESOLUTION=1";

  /**
   * The query itself, after {@link #XROOTD_ENV}; PORT stands for the server's xrootd port. xrdfs
   * ends its reply with an empty line: the answer is the last line that is not empty.
   */
  static final String XROOTD_QUERY =
      "timeout 5 xrdfs localhost:PORT query config cms 2>&1 | grep . | tail -n 1";

  /**
   * The health play; with {@code askXrootd} each server's reading has a third line, what its xrootd
   * answered to {@link #XROOTD_QUERY} (health_check: xrootd).
   */
  public PhasePlaybook health(List<Server> servers, boolean askXrootd) {
    // Each server's units, cmsd then xrootd (RestartSequence.HEALTH's order), space-separated:
    // unit names are letters, digits and _ - . @ only (checked at load time).
    Map<String, Object> units = new LinkedHashMap<>();
    for (Server s : servers) {
      units.put(s.name(), s.cmsdUnit() + " " + s.xrootdUnit());
    }
    List<String> hosts = servers.stream().map(Server::name).toList();
    Map<String, Object> shards = new LinkedHashMap<>();
    for (int i = 0; i < hosts.size(); i += SHARD) {
      List<String> shard = hosts.subList(i, Math.min(hosts.size(), i + SHARD));
      shards.put(shard.get(0), shard);
    }
    // One SSH command per server, one sudo call per unit (each one the sudo rule allows): a line
    // per unit with its state; an empty line when a state could not be read (stderr says why).
    String read = RestartSequence.HEALTH.get(0).kind().command().shell("$u");
    String cmd = "for u in {{ xrootdrestart_units[item] }}; do echo \"$(" + read + ")\"; done";
    if (askXrootd) {
      cmd +=
          "\n"
              + XROOTD_ENV
              + "\necho \"$("
              + XROOTD_QUERY.replace("PORT", "{{ xrootdrestart_ports[item] }}")
              + ")\"\n";
    }
    List<Task> tasks =
        List.of(
            Task.read(HEALTH_TASK, cmd, readSeconds())
                .delegatedOver("{{ xrootdrestart_shards[inventory_hostname] }}")
                .ignoringUnreachable());
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("xrootdrestart_units", units);
    vars.put("xrootdrestart_shards", shards);
    if (hosts.size() > SHARED_CONNECTIONS_UP_TO) {
      vars.put(CONTROL_PATH, "none");
    }
    if (askXrootd) {
      Map<String, Object> ports = new LinkedHashMap<>();
      servers.forEach(sv -> ports.put(sv.name(), sv.xrootdPort()));
      vars.put("xrootdrestart_ports", ports);
    }
    Play play =
        new Play(
            "Health: read the state of both units on " + hosts.size() + " servers",
            List.copyOf(shards.keySet()),
            vars,
            tasks);
    Duration budget = PER_RUN.plus(PER_TASK.plusSeconds(readSeconds()).multipliedBy(SHARD));
    return new PhasePlaybook(Phase.HEALTH, hosts, play, budget);
  }

  /**
   * The health play of a larger fleet opens no SSH control master ({@code ControlPath=none} turns
   * connection sharing off): a master stays for ControlPersist (minutes) at about 3.6 MiB each, 3.6
   * GiB for 1000 servers, and with slots minutes apart it is never reused. The restart's target
   * gets its master from its drain, which its cycle reuses. A fleet of up to {@link
   * #SHARED_CONNECTIONS_UP_TO} servers keeps its masters (at most about 115 MiB): with slots closer
   * than ControlPersist the next health play reuses them, which with 20 servers and 10 s slots
   * makes it 0.8-1.1 s instead of 5.5-6.3 s (16 cold SSH logins in turn per shard; measured with
   * testing/bench/sidebyside), and on 3 servers saves about 0.3 s of CPU per slot.
   */
  static final int SHARED_CONNECTIONS_UP_TO = 32;

  static final String CONTROL_PATH = "ansible_control_path";

  /**
   * How long a gate waits for the daemon beyond the waits the daemon itself makes there; only
   * reached when the daemon is gone (see {@link Gate}).
   */
  static final Duration GATE_SLACK = Duration.ofMinutes(10);

  /**
   * One restart of {@code s} as a single run: {@code health} (the fleet's, on every server), then
   * the drain behind {@link Gate#SLOT}, with drain_until_idle the wait until no file is open (no
   * gate: it only reads, and the daemon reads its end as the wait's), and the cycle behind {@link
   * Gate#CYCLE}. Started ahead of the slot, the run pays Ansible's start and reads the health while
   * nothing waits; the daemon opens each gate when it decides to.
   */
  public RestartPlaybook restart(Server s, PhasePlaybook health, Duration cmsdWait) {
    List<PhasePlaybook> plays = new java.util.ArrayList<>();
    plays.add(health);
    plays.add(behind(Gate.SLOT, GATE_SLACK, withHooks(drain(s), Phase.DRAIN)));
    if (drainUntilIdle) {
      plays.add(idle(s, cmsdWait));
    }
    plays.add(behind(Gate.CYCLE, cmsdWait.plus(GATE_SLACK), withHooks(cycle(s), Phase.CYCLE)));
    return new RestartPlaybook(s.name(), plays);
  }

  /**
   * {@code p} (a drain or a cycle) with the site's task file of its phase, if any: {@code
   * pre_restart_tasks} before the drain's script, {@code post_restart_tasks} after the cycle's.
   */
  public PhasePlaybook withHooks(PhasePlaybook p, Phase phase) {
    Optional<Task> hook =
        phase == Phase.DRAIN
            ? hooks.pre().map(f -> Hooks.include("pre_restart_tasks", f))
            : phase == Phase.CYCLE
                ? hooks.post().map(f -> Hooks.include("post_restart_tasks", f))
                : Optional.empty();
    if (hook.isEmpty()) {
      return p;
    }
    List<Task> tasks = new java.util.ArrayList<>(p.play().tasks());
    tasks.add(phase == Phase.DRAIN ? 0 : tasks.size(), hook.get());
    return new PhasePlaybook(
        p.phase(),
        p.hosts(),
        new Play(p.play().name(), p.play().hosts(), p.play().vars(), tasks),
        p.budget().plus(Hooks.BUDGET),
        p.gate());
  }

  /**
   * The phase's play behind {@code gate}: its one task waits for the gate; with a site's hook, a
   * first task waits for it and records that it opened, and each task runs only if it did.
   */
  private static PhasePlaybook behind(Gate gate, Duration timeout, PhasePlaybook p) {
    List<Task> tasks;
    if (p.play().tasks().size() == 1) {
      tasks = List.of(p.play().tasks().get(0).when(gate.condition(timeout)));
    } else {
      String fact = "xrootdrestart_" + gate.id() + "_gate_open";
      tasks = new java.util.ArrayList<>();
      tasks.add(
          Task.gate(
              "Wait until the daemon opens the " + gate.id() + " gate",
              fact,
              gate.condition(timeout)));
      p.play().tasks().forEach(t -> tasks.add(t.when(fact + " | default(false)")));
    }
    return new PhasePlaybook(
        p.phase(),
        p.hosts(),
        new Play(p.play().name(), p.play().hosts(), p.play().vars(), tasks),
        p.budget(),
        gate);
  }

  /** The health play's one task; its output is a line per unit, cmsd then xrootd. */
  public static final String HEALTH_TASK = "State of cmsd and xrootd";

  private PhasePlaybook single(
      Phase phase, Server s, String name, String task, List<RestartSequence.StepSpec> specs) {
    return single(
        phase, s, name, task, specs, verifyTimeout.map(Phases::ceilSeconds).orElse(seconds()));
  }

  /** A phase of one task on {@code s}; its waits on xrootd poll for at most {@code waitSeconds}. */
  private PhasePlaybook single(
      Phase phase,
      Server s,
      String name,
      String task,
      List<RestartSequence.StepSpec> specs,
      int waitSeconds) {
    List<StepScript.Named> steps = specs.stream().map(spec -> named(spec, s)).toList();
    StepScript script = new StepScript(steps, seconds(), waitSeconds, s.xrootdPort());
    List<Task> tasks = List.of(Task.script(task, script, scriptSeconds(specs, waitSeconds)));
    return new PhasePlaybook(
        phase, List.of(s.name()), new Play(name, List.of(s.name()), null, tasks), budget(tasks));
  }

  /** One step of the sequence on server {@code s}, with the name a failure reports. */
  private static StepScript.Named named(RestartSequence.StepSpec spec, Server s) {
    String unit =
        switch (spec.unit()) {
          case CMSD -> s.cmsdUnit();
          case XROOTD -> s.xrootdUnit();
          case NONE -> "-";
        };
    Step step = new Step(spec.kind(), unit, spec.onFailure());
    String name =
        switch (spec.kind()) {
          case STOP -> "Stop " + unit;
          case START -> "Start " + unit;
          case START_UNLESS_ACTIVE -> "Start " + unit + " unless it is active";
          case READ_STATE -> "Read the state of " + unit;
          case WAIT_STOPPED -> "Wait until " + unit + " is inactive";
          case WAIT_ACTIVE -> "Wait until " + unit + " is active";
          case KILL -> "Kill " + unit + " with SIGKILL";
          case REBOOT -> "Reboot " + s.name();
          case WAIT_SERVING -> "Wait until " + s.name() + " serves again (xrootd in the cluster)";
          case WAIT_IDLE -> "Wait until no file is open on " + s.name();
        };
    return new StepScript.Named(name, step);
  }

  /**
   * Ansible's bound on a script, a safety net behind the script's own: each call within
   * service_timeout (+5 s for timeout(1)'s SIGKILL), each wait on a unit polling for at most
   * service_timeout more, each wait on xrootd for {@code waitSeconds} and one last query, plus the
   * SSH connection.
   */
  private int scriptSeconds(List<RestartSequence.StepSpec> specs, int waitSeconds) {
    long total = connectTimeout.toSeconds() + 10;
    for (RestartSequence.StepSpec spec : specs) {
      total +=
          switch (spec.kind()) {
            case WAIT_STOPPED, WAIT_ACTIVE -> 2L * (seconds() + 5);
            case WAIT_SERVING, WAIT_IDLE -> waitSeconds + 10L;
            default -> seconds() + 5L;
          };
    }
    return (int) Math.min(Integer.MAX_VALUE, total);
  }

  /** Upper bound of a run: every task's own limit plus a fixed cost per task and per run. */
  private Duration budget(List<Task> tasks) {
    Duration total = PER_RUN;
    for (Task t : tasks) {
      total = total.plus(PER_TASK);
      if (t.timeout() != null) {
        total = total.plusSeconds(t.timeout());
      }
    }
    return total;
  }
}
