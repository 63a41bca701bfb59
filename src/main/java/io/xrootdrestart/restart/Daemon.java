package io.xrootdrestart.restart;

import io.xrootdrestart.ansible.GatedRun;
import io.xrootdrestart.ansible.PlaybookRunner;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FiringAlerts;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.Guard;
import io.xrootdrestart.guard.HealthReadings;
import io.xrootdrestart.guard.ParallelLimit;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.health.HealthCheck;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.playbook.RestartPlaybook;
import io.xrootdrestart.remedy.OutOfTurn;
import io.xrootdrestart.remedy.RestartWhen;
import io.xrootdrestart.schedule.Schedule;
import io.xrootdrestart.schedule.Sleeper;
import io.xrootdrestart.schedule.Slot;
import io.xrootdrestart.schedule.Window;
import io.xrootdrestart.silence.NodeSilences;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.InFlight;
import io.xrootdrestart.state.ServerRecord;
import io.xrootdrestart.state.StateException;
import io.xrootdrestart.state.StateStore;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The restart daemon: every server once per {@code cmsd_period}, one at a time, never below {@code
 * min_ok} other healthy servers. State is persisted before every step, so that after any stop,
 * crash included, the rotation continues where it was and an interrupted restart is restored first.
 */
public final class Daemon {
  private static final Logger LOG = LoggerFactory.getLogger(Daemon.class);

  /** The settings the daemon acts on, from the config. */
  public record Settings(
      Duration period,
      Duration cmsdWait,
      int minOk,
      Optional<Window> window,
      Optional<Pattern> blockOnAlerts,
      boolean escalateReboot,
      int remedialPerDay,
      Duration healthMaxAge) {
    /** Without out-of-turn restarts (remedial_per_day 0), reading the whole fleet every slot. */
    public Settings(
        Duration period,
        Duration cmsdWait,
        int minOk,
        Optional<Window> window,
        Optional<Pattern> blockOnAlerts,
        boolean escalateReboot) {
      this(period, cmsdWait, minOk, window, blockOnAlerts, escalateReboot, 0, Duration.ZERO);
    }

    public static Settings from(Config c) {
      Optional<Window> window = Optional.empty();
      boolean hasTimes = c.get(Keys.WINDOW_START).isPresent();
      if (hasTimes || !c.get(Keys.WINDOW_DAYS).isEmpty()) {
        var days =
            c.get(Keys.WINDOW_DAYS).isEmpty()
                ? java.util.EnumSet.allOf(java.time.DayOfWeek.class)
                : c.get(Keys.WINDOW_DAYS);
        window =
            Optional.of(
                new Window(
                    days,
                    c.get(Keys.WINDOW_START).orElse(java.time.LocalTime.MIDNIGHT),
                    c.get(Keys.WINDOW_END).orElse(java.time.LocalTime.MIDNIGHT),
                    c.get(Keys.WINDOW_TIMEZONE).orElse(ZoneId.systemDefault())));
      }
      return new Settings(
          c.get(Keys.CMSD_PERIOD),
          c.get(Keys.CMSD_WAIT),
          c.get(Keys.MIN_OK),
          window,
          c.get(Keys.BLOCK_ON_ALERTS),
          c.get(Keys.ESCALATE_REBOOT),
          c.get(Keys.REMEDIAL_PER_DAY),
          c.get(Keys.HEALTH_MAX_AGE));
    }
  }

  private final Settings settings;
  private final Supplier<Inventory> inventory;
  private final PlaybookRunner runner;
  private final HealthCheck healthCheck;
  private final Phases phases;
  private final StateStore store;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Shutdown shutdown;
  private final FiringAlerts alerts;
  private final RestartListener listener;
  private final Schedule schedule;
  private final OutOfTurn outOfTurn;
  private final NodeSilences silences;
  private final ParallelLimit limit;
  private volatile DaemonState state;

  /** Each server's last reading, for health_max_age. */
  private final HealthReadings readings = new HealthReadings();

  /** The fleet's health as last read, for choosing who is due out of turn; null before any. */
  private volatile FleetHealth lastHealth;

  /** Servers whose restart alert already says flood control left them alone. */
  private final Set<String> leftAlone = ConcurrentHashMap.newKeySet();

  private volatile Inventory lastInventory;

  /** The last controls-file error logged, so that a scrape or a poll does not log it again. */
  private volatile String controlsError;

  /**
   * @param runner runs every playbook of a restart (Ansible's forks follow each playbook's hosts)
   * @param healthCheck what "healthy" means, for the guard and for pending restores
   * @param sleeper waits until a slot, and through cmsd_wait; ends early on shutdown
   * @param restartWhen the site's own condition for restarts out of turn, asked at each slot
   * @param silences the silences of a server's own alerts while it is restarted
   * @param limit max_parallel: the places shared with the other rotations' daemons
   */
  public Daemon(
      Settings settings,
      Supplier<Inventory> inventory,
      PlaybookRunner runner,
      HealthCheck healthCheck,
      Phases phases,
      StateStore store,
      Clock clock,
      Sleeper sleeper,
      Shutdown shutdown,
      FiringAlerts alerts,
      RestartListener listener,
      RestartWhen restartWhen,
      NodeSilences silences,
      ParallelLimit limit) {
    this.limit = Objects.requireNonNull(limit);
    this.silences = Objects.requireNonNull(silences);
    this.outOfTurn = new OutOfTurn(settings.remedialPerDay(), restartWhen);
    this.settings = Objects.requireNonNull(settings);
    this.inventory = Objects.requireNonNull(inventory);
    this.runner = Objects.requireNonNull(runner);
    this.healthCheck = Objects.requireNonNull(healthCheck);
    this.phases = Objects.requireNonNull(phases);
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.sleeper = Objects.requireNonNull(sleeper);
    this.shutdown = Objects.requireNonNull(shutdown);
    this.alerts = Objects.requireNonNull(alerts);
    this.listener = Objects.requireNonNull(listener);
    this.schedule = new Schedule(settings.period(), settings.window());
    this.state = store.load();
  }

  public DaemonState state() {
    return state;
  }

  /** The servers of the inventory as last read, in order (empty before the first read). */
  public List<String> servers() {
    Inventory inv = lastInventory;
    return inv == null ? List.of() : inv.servers().stream().map(Server::name).toList();
  }

  public Settings settings() {
    return settings;
  }

  /**
   * Runs until shutdown, or until {@code rotations} full rotations (attempts equal to N times the
   * number of servers) are done.
   *
   * <p>Each restart is one Ansible run, started ahead of its slot by the time its start-up and the
   * fleet's health check took last time: at the slot's time the health is fresh and the run waits
   * at its first gate, so the drain starts on time. At the slot the daemon looks again (inventory,
   * pause, exclusions); if the slot now belongs to another server, the early run is ended unused.
   */
  public void run(OptionalInt rotations) {
    Inventory inv = inventory();
    runner.endLeftovers();
    recover(inv);
    int attempts = 0;
    while (!shutdown.requested()) {
      try {
        attempts += turn(rotations, attempts);
      } catch (Done done) {
        break;
      } catch (RuntimeException e) {
        // A SIGTERM or Ctrl-C to the whole process group also ends the child the daemon was
        // starting (mkfifo, ansible-playbook): that failure is the shutdown, not an error.
        if (shutdownWithin(Duration.ofSeconds(1))) {
          LOG.info("stopping: {}", e.getMessage());
          break;
        }
        throw e;
      }
    }
  }

  /**
   * Whether shutdown is requested within {@code grace} of real time (a signal to the process group
   * reaches the child first: its handler in this JVM may run a moment later).
   */
  private boolean shutdownWithin(Duration grace) {
    long end = System.nanoTime() + grace.toNanos();
    while (!shutdown.requested()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Ends the loop of {@link #run}: shutdown, or the rotations asked for are done. */
  private static final class Done extends RuntimeException {
    Done() {
      super(null, null, false, false);
    }
  }

  private static final Done DONE = new Done();

  /** One turn of the loop: a slot, or a wait; how many restart attempts it made. */
  private int turn(OptionalInt rotations, int attemptsSoFar) {
    int attempts = attemptsSoFar;
    expireSilences(); // those left by a crash, or by an Alertmanager that was down
    Inventory inv = inventory();
    List<String> names = inv.servers().stream().map(Server::name).toList();
    List<String> excluded = controls().excludedOf(names, clock.instant());
    List<Slot> upcoming =
        schedule.upcoming(
            names,
            excluded,
            state.lastAttempts(),
            state.lastSlot(),
            clock.instant(),
            names.size() - excluded.size());
    if (upcoming.isEmpty()) {
      LOG.warn(
          "every server is excluded ({}); looking again in {}",
          String.join(", ", excluded),
          schedule.interval(names.size()));
      if (!sleeper.sleepUntil(clock.instant().plus(schedule.interval(names.size())))) {
        throw DONE;
      }
      return attempts - attemptsSoFar;
    }
    Slot slot = upcoming.get(0);
    listener.scheduled(upcoming);
    LOG.info(
        "next restart: {} at {} (every {} for {} servers)",
        slot.server(),
        slot.time(),
        schedule.interval(names.size()),
        names.size());
    if (!sleeper.sleepUntil(slot.time().minus(lead(names.size())))) {
      throw DONE;
    }
    save(state); // is the state file writable? no run starts while it is not
    if (unwritable != null) {
      return holdUnwritable(slot.server(), names.size());
    }
    if (!limit.free()) {
      LOG.info("max_parallel {}: waiting for a restart in another rotation to end", limit.max());
    }
    if (!limit.acquire(shutdown::requested)) {
      throw DONE;
    }
    try {
      Optional<Prepared> early;
      try {
        early = prepareFor(inventory());
      } catch (UncheckedIOException e) {
        return cannotStartRun(e, slot.server(), names.size());
      }
      if (!sleeper.sleepUntil(slot.time())) {
        early.ifPresent(Prepared::close);
        throw DONE;
      }
      // The inventory, the admin's controls and the fleet's health may have changed meanwhile:
      // the slot goes to a server due out of turn, else to the most overdue one, as things are
      // now.
      inv = inventory();
      askRestartWhen();
      alertLeftAlone(inv);
      Optional<Target> target = targetOf(inv);
      if (early.isPresent()
          && (target.isEmpty() || !early.get().fits(inv.servers(), target.get()))) {
        LOG.info("the slot's server or the fleet changed since its run started; starting anew");
        early.get().close();
        early = Optional.empty();
      }
      if (target.isEmpty()) {
        return attempts - attemptsSoFar;
      }
      save(state.withLastSlot(slot.time()));
      Controls controls = controls();
      if (controls.pause().isPresent()) {
        early.ifPresent(Prepared::close);
        Controls.Pause p = controls.pause().get();
        LOG.warn(
            "the rotation is paused since {}{}: skipping the slot of {} ('xrootdrestart resume'"
                + " ends the pause)",
            p.since(),
            p.reason().isEmpty() ? "" : " (" + p.reason() + ")",
            target.get().server().name());
        listener.paused(target.get().server().name(), p);
        return attempts - attemptsSoFar;
      }
      Prepared prepared;
      try {
        prepared = early.isPresent() ? early.get() : prepare(inv, target.get());
      } catch (UncheckedIOException e) {
        return cannotStartRun(e, slot.server(), names.size());
      }
      Optional<RestartResult> outcome = slot(inv, prepared, false);
      if (outcome.isEmpty()) {
        return attempts - attemptsSoFar; // held by the guard: the same server at the next slot
      }
      RestartResult result = outcome.get();
      attempts++;
      if (result.status() == RestartResult.Status.INTERRUPTED) {
        throw DONE;
      }
      if (rotations.isPresent() && attempts >= rotations.getAsInt() * inv.servers().size()) {
        LOG.info("{} rotation(s) done", rotations.getAsInt());
        throw DONE;
      }
    } finally {
      limit.release();
    }
    return attempts - attemptsSoFar;
  }

  /** A slot's server, and why it is due out of turn if it is. */
  record Target(Server server, Optional<OutOfTurn.Due> due) {
    /**
     * How long its restart waits after the drain: a server that does not serve has no transfers to
     * wait for.
     */
    Duration drainWait(Duration cmsdWait) {
      return due.map(d -> d.cause() == OutOfTurn.Cause.NOT_SERVING).orElse(false)
          ? Duration.ZERO
          : cmsdWait;
    }
  }

  /**
   * The server the slot goes to now, among those not excluded: the first one due out of turn (as
   * the last health check and restart_when found) that flood control still allows, else the most
   * overdue one.
   */
  private Optional<Target> targetOf(Inventory inv) {
    Instant now = clock.instant();
    List<Server> eligible = eligible(inv, now);
    if (eligible.isEmpty()) {
      return Optional.empty();
    }
    for (OutOfTurn.Due d : dueNow(eligible)) {
      if (outOfTurn.allowed(state.server(d.server()), now)) {
        return inv.server(d.server()).map(s -> new Target(s, Optional.of(d)));
      }
    }
    List<String> names = eligible.stream().map(Server::name).toList();
    return inv.server(Schedule.mostOverdue(names, state.lastAttempts()))
        .map(s -> new Target(s, Optional.empty()));
  }

  /** The servers not excluded by the admin now. */
  private List<Server> eligible(Inventory inv, Instant now) {
    Controls controls = controls();
    return inv.servers().stream().filter(s -> !controls.isExcluded(s.name(), now)).toList();
  }

  /** Those of {@code eligible} due out of turn, as the last health check and restart_when found. */
  private List<OutOfTurn.Due> dueNow(List<Server> eligible) {
    FleetHealth health = lastHealth;
    return health == null ? List.of() : outOfTurn.due(eligible, health);
  }

  /**
   * At the slot's time: each server due out of turn that flood control leaves alone gets its
   * restart alert, once while it stays due.
   */
  private void alertLeftAlone(Inventory inv) {
    Instant now = clock.instant();
    List<OutOfTurn.Due> due = dueNow(eligible(inv, now));
    leftAlone.retainAll(due.stream().map(OutOfTurn.Due::server).toList());
    for (OutOfTurn.Due d : due) {
      if (!outOfTurn.allowed(state.server(d.server()), now)) {
        leaveAlone(d);
      }
    }
  }

  /** restart_when, asked once per slot; a failure is logged and counted, and names no server. */
  private void askRestartWhen() {
    outOfTurn
        .ask()
        .ifPresent(
            why -> {
              LOG.warn("restart_when could not be asked ({}): no server is due by it", why);
              listener.restartWhenFailed(why);
            });
  }

  /** A server due out of turn that flood control leaves alone: its restart alert fires instead. */
  private void leaveAlone(OutOfTurn.Due d) {
    if (!leftAlone.add(d.server())) {
      return;
    }
    String what =
        d.why()
            + "; already restarted out of turn "
            + outOfTurn.today(state.server(d.server()), clock.instant())
            + " time(s) in 24 hours (remedial_per_day: "
            + outOfTurn.perDay()
            + "), so not again";
    LOG.error("{}: {}", d.server(), what);
    RestartResult left =
        new RestartResult(
            RestartResult.Status.FAILED, Optional.empty(), what, Optional.empty(), false);
    save(
        state.with(
            d.server(), state.server(d.server()).finished(left.outcome(), what, false, false)));
    listener.restartFailed(d.server(), left);
  }

  /** The early run for the server the slot would go to now; none while paused. */
  private Optional<Prepared> prepareFor(Inventory inv) {
    if (controls().pause().isPresent()) {
      return Optional.empty();
    }
    return targetOf(inv).map(t -> prepare(inv, t));
  }

  /** Starts the restart run of {@code target} and reads the fleet's health from its first play. */
  public Prepared prepare(Inventory inv, Server target) {
    return prepare(inv, new Target(target, Optional.empty()));
  }

  /**
   * How long before its slot a restart's run starts: half as long again as the last one took to
   * finish the health play, plus a second; before any, a guess from the fleet's size.
   */
  Duration lead(int servers) {
    Duration last = lastTookToHealth;
    Duration lead =
        last == null
            ? Duration.ofSeconds(3).plusMillis(60L * servers)
            : last.plus(last.dividedBy(2)).plusSeconds(1);
    return lead.compareTo(MAX_LEAD) > 0 ? MAX_LEAD : lead;
  }

  private static final Duration MAX_LEAD = Duration.ofMinutes(5);

  private volatile Duration lastTookToHealth;

  /**
   * The server whose last restart ended "not serving after restart", while it still does not serve:
   * the rotation waits for it, so that one server that did not come back never makes two out at
   * once.
   */
  private volatile String notBack;

  /**
   * A restart's run, started, with the fleet's health read from its first play.
   *
   * @param due why the target is due out of turn, if it is
   * @param drainWait how long the restart waits after the drain at most (cmsd_wait, or none)
   */
  public record Prepared(
      RestartPlaybook playbook,
      GatedRun run,
      FleetHealth health,
      List<String> fleet,
      Optional<OutOfTurn.Due> due,
      Duration drainWait)
      implements AutoCloseable {
    public Server target(Inventory inv) {
      return inv.server(playbook.target()).orElseThrow();
    }

    /** Whether this run still fits: the same target, for the same reason, and the same fleet. */
    boolean fits(List<Server> servers, Target target) {
      return target.server().name().equals(playbook.target())
          && target.due().map(OutOfTurn.Due::cause).equals(due.map(OutOfTurn.Due::cause))
          && servers.stream().map(Server::name).toList().equals(fleet);
    }

    @Override
    public void close() {
      run.close();
    }
  }

  /**
   * The slot's run could not be started (its directory under state_dir cannot be made or written:
   * turned read-only or full since the check): nothing was done on any server, so the slot is held.
   */
  private int cannotStartRun(UncheckedIOException e, String server, int servers) {
    if (shutdownWithin(Duration.ofSeconds(1))) {
      throw DONE; // a signal to the process group ended the child being started
    }
    unwritable = "the slot's run cannot be started (" + NodeRestart.why(e) + ")";
    return holdUnwritable(server, servers);
  }

  /** Holds the slot of {@code server} while state_dir cannot be written, until the next one. */
  private int holdUnwritable(String server, int servers) {
    Decision.Hold hold = unwritableHold();
    LOG.error(
        "holding the restart of {}: {}; looking again in {}",
        server,
        hold.reason(),
        schedule.interval(servers));
    listener.guardHeld(server, hold);
    if (!sleeper.sleepUntil(clock.instant().plus(schedule.interval(servers)))) {
      throw DONE;
    }
    return 0;
  }

  private Prepared prepare(Inventory inv, Target target) {
    Duration wait = target.drainWait(settings.cmsdWait());
    List<String> fleet = inv.servers().stream().map(Server::name).toList();
    Instant started = clock.instant();
    List<String> names =
        readings.toRead(
            fleet,
            target.server().name(),
            started,
            settings.healthMaxAge(),
            schedule.interval(fleet.size()));
    List<Server> toRead = inv.servers().stream().filter(s -> names.contains(s.name())).toList();
    RestartPlaybook playbook = phases.restart(target.server(), healthCheck.playbook(toRead), wait);
    GatedRun run = runner.start(playbook);
    FleetHealth read = healthCheck.read(run.await(Phase.HEALTH), toRead);
    lastTookToHealth = Duration.between(started, clock.instant());
    FleetHealth health = read;
    if (!shutdown.requested()) {
      health = readings.update(read, fleet, started);
      if (toRead.size() < fleet.size()) {
        LOG.info(
            "health: read {} of {} servers; the others by their last reading (health_max_age {})",
            toRead.size(),
            fleet.size(),
            settings.healthMaxAge());
      }
      lastHealth = health;
      listener.healthChecked(health); // a check cut short by shutdown says nothing
    }
    return new Prepared(playbook, run, health, fleet, target.due(), wait);
  }

  /**
   * One slot: live health, pending restores, the guard, then the restart. Empty when the guard held
   * it. {@code force} skips the guard (the restart command's --force).
   */
  public Optional<RestartResult> slot(Inventory inv, Server target, boolean force) {
    return slot(inv, prepare(inv, target), force);
  }

  /** One slot on a prepared run, which it ends. */
  Optional<RestartResult> slot(Inventory inv, Prepared early, boolean force) {
    Prepared fresh = early;
    if (!shutdown.requested() && restorePending(inv, early.health())) {
      // the restores took their time and changed the fleet: read the health again
      early.close();
      fresh = prepare(inv, new Target(early.target(inv), early.due()));
    }
    try (Prepared prepared = fresh) {
      Server target = prepared.target(inv);
      FleetHealth health = prepared.health();
      if (shutdown.requested()) {
        return Optional
            .empty(); // the health check was cut short: it says nothing, decide nothing on it
      }
      if (!force) {
        Decision d = decide(health, target.name());
        if (d instanceof Decision.Hold hold) {
          LOG.warn("holding the restart of {}: {}", target.name(), hold.reason());
          listener.guardHeld(target.name(), hold);
          return Optional.empty();
        }
        listener.guardPassed(
            target.name(), health.healthyOtherThan(target.name()), settings.minOk());
      }
      return restart(target, prepared);
    }
  }

  /** A health check of its own (plan, check): one run of the health play. */
  public FleetHealth health(Inventory inv) {
    Instant at = clock.instant();
    FleetHealth health =
        healthCheck.read(runner.run(healthCheck.playbook(inv.servers())), inv.servers());
    if (!shutdown.requested()) {
      readings.update(health, inv.servers().stream().map(Server::name).toList(), at);
      lastHealth = health;
      listener.healthChecked(health); // a check cut short by shutdown says nothing
    }
    return health;
  }

  public Decision decide(FleetHealth health, String target) {
    String waitingFor = notBack;
    if (waitingFor != null) {
      Optional<ServerHealth> h = health.server(waitingFor);
      if (h.isEmpty() || h.get().healthy()) {
        notBack = null; // it serves again, or it left the inventory
      } else if (!waitingFor.equals(target)) {
        return new Decision.Hold(
            false,
            waitingFor
                + " has not served again since its restart ("
                + h.get().describe()
                + "): no other server is restarted until it does");
      }
    }
    List<String> blocking = settings.blockOnAlerts().map(alerts::matching).orElse(List.of());
    return Guard.decide(health, settings.minOk(), target, blocking);
  }

  /** The restart, once its intent is on disk; empty (held) when the state cannot be written. */
  private Optional<RestartResult> restart(Server target, Prepared prepared) {
    Instant now = clock.instant();
    ServerRecord before = state.server(target.name());
    ServerRecord attempt = before.attempted(now);
    if (prepared.due().isPresent()) {
      OutOfTurn.Due due = prepared.due().get();
      attempt = before.attemptedOutOfTurn(now);
      LOG.warn(
          "{}: restarting out of turn ({}), {} of remedial_per_day {} in 24 hours",
          target.name(),
          due.why(),
          outOfTurn.today(attempt, now),
          outOfTurn.perDay());
      listener.outOfTurn(target.name(), due);
    }
    Duration span = silenceSpan(prepared);
    Optional<NodeSilences.Held> silence = silences.start(target.name(), span);
    DaemonState intent =
        state
            .with(target.name(), attempt)
            .withInFlight(Optional.of(new InFlight(target.name(), Phase.DRAIN.id(), now)));
    DaemonState unchanged = state;
    save(silence.map(h -> intent.withSilence(h.id(), target.name())).orElse(intent));
    if (unwritable != null) {
      state = unchanged; // nothing happened: the intent was not recorded
      silence.ifPresent(h -> silences.expire(target.name(), h.id()));
      Decision.Hold hold = unwritableHold();
      LOG.error("holding the restart of {}: {}", target.name(), hold.reason());
      listener.guardHeld(target.name(), hold);
      return Optional.empty();
    }
    AtomicReference<NodeSilences.Held> held = new AtomicReference<>(silence.orElse(null));
    RestartListener extending =
        new RestartListener() {
          @Override
          public void phaseStarted(String server, String phase) {
            NodeSilences.Held h = held.get();
            if (h != null) {
              NodeSilences.Held now = silences.extend(h, span);
              if (!now.id().equals(h.id())) {
                save(state.withSilence(now.id(), server)); // the old one is expired by then
              }
              held.set(now);
            }
          }
        };
    NodeRestart node =
        new NodeRestart(
            runner,
            phases,
            prepared.drainWait(),
            d -> sleeper.sleepUntil(clock.instant().plus(d)),
            journal(),
            RestartListener.all(extending, listener),
            shutdown::requested,
            settings.escalateReboot());
    RestartResult result = node.restart(target, prepared.playbook(), prepared.run());
    readings.forget(target.name()); // read it again at the next slot, whatever the outcome
    expireSilences(); // it serves again, or it failed: either way the site's alerts speak again
    if (result.message().startsWith(NodeRestart.NOT_SERVING)) {
      notBack = target.name();
    }
    boolean pending = result.needsRestore();
    if (pending && result.status() == RestartResult.Status.UNREACHABLE && !shutdown.requested()) {
      // A dropped connection is often brief: try at once rather than leave the server drained until
      // the next health check reaches it (which may be hours away).
      LOG.info("{}: a unit may be left stopped; trying restore at once", target.name());
      pending = !restoreOne(target);
    }
    save(
        state
            .with(
                target.name(),
                state
                    .server(target.name())
                    .finished(
                        result.outcome(),
                        result.message()
                            + (result.needsRestore() && !pending
                                ? "; restore: both units active"
                                : ""),
                        result.ok(),
                        pending))
            .withInFlight(Optional.empty()));
    return Optional.of(result);
  }

  /**
   * How long a restart's silence lasts before it is extended: the most its plays may take, plus the
   * wait after the drain.
   */
  private static Duration silenceSpan(Prepared prepared) {
    Duration span = prepared.drainWait();
    for (var section : prepared.playbook().sections()) {
      if (section.phase() != Phase.HEALTH) {
        span = span.plus(section.budget());
      }
    }
    return span;
  }

  /**
   * Expires every silence the state still records: between restarts none should be left (after a
   * restart, a crash, or an Alertmanager that was down when the restart ended).
   */
  private void expireSilences() {
    for (var e : state.silences().entrySet()) {
      if (silences.expire(e.getValue(), e.getKey())) {
        save(state.withoutSilence(e.getKey()));
      }
    }
  }

  /**
   * A restart that was in flight when the daemon last stopped: restore that server before anything
   * else.
   */
  void recover(Inventory inv) {
    Optional<InFlight> flight = state.inFlight();
    if (flight.isEmpty()) {
      return;
    }
    InFlight f = flight.get();
    LOG.warn(
        "the restart of {} was in flight ({} since {}) when the daemon stopped; restoring it first",
        f.server(),
        f.phase(),
        f.since());
    Optional<Server> server = inv.server(f.server());
    boolean ok = server.map(this::restoreOne).orElse(true);
    ServerRecord record = state.server(f.server());
    save(
        state
            .with(
                f.server(),
                record.finished(
                    "interrupted",
                    "the daemon stopped during "
                        + f.phase()
                        + (ok ? "; restore: both units active" : "; RESTORE FAILED"),
                    false,
                    !ok))
            .withInFlight(Optional.empty()));
  }

  /**
   * Servers marked for a restore (unreachable mid-restart) that answer again and are not healthy;
   * not those an admin has excluded (someone is working on them). Whether any was tried.
   */
  private boolean restorePending(Inventory inv, FleetHealth health) {
    boolean any = false;
    Controls controls = controls();
    for (Server s : inv.servers()) {
      ServerRecord r = state.server(s.name());
      boolean answers = health.server(s.name()).map(h -> h.problem().isEmpty()).orElse(false);
      if (r.needsRestore() && answers && !controls.isExcluded(s.name(), clock.instant())) {
        LOG.info("{} answers again; restoring it (its last restart was cut off)", s.name());
        any = true;
        boolean ok = restoreOne(s);
        if (ok) {
          save(state.with(s.name(), state.server(s.name()).restored()));
        }
      }
    }
    return any;
  }

  private boolean restoreOne(Server s) {
    RunResult r;
    try {
      r = runner.run(phases.restore(s));
    } catch (UncheckedIOException e) {
      LOG.error("restore of {} cannot be started: {}", s.name(), NodeRestart.why(e));
      return false;
    }
    listener.phaseFinished(s.name(), PhaseReport.of(Phase.RESTORE, s.name(), r));
    HostResult h = r.host(s.name());
    if (!h.ok()) {
      LOG.error("restore of {} failed: {}", s.name(), h.describe());
    }
    return h.ok();
  }

  /**
   * The admin's pause and exclusions as they are now. An unreadable controls file pauses the
   * rotation: the daemon cannot know which servers it was told to leave alone. Read at every slot,
   * scrape and status poll, so each distinct error is logged once.
   */
  public Controls controls() {
    try {
      Controls c = store.controls().load();
      controlsError = null;
      return c;
    } catch (StateException e) {
      if (!e.getMessage().equals(controlsError)) {
        controlsError = e.getMessage();
        LOG.error("{}", e.getMessage());
      }
      return Controls.NONE.paused(
          "unreadable " + store.controls().file().getFileName() + ": " + e.getMessage(),
          clock.instant());
    }
  }

  private Journal journal() {
    return new Journal() {
      @Override
      public void beforePhase(String server, Phase phase) {
        save(state.withInFlight(Optional.of(new InFlight(server, phase.id(), clock.instant()))));
      }

      @Override
      public void done(String server) {
        // the caller records the outcome and clears the in-flight record in one write
      }
    };
  }

  private Inventory inventory() {
    try {
      lastInventory = inventory.get();
    } catch (RuntimeException e) {
      if (lastInventory == null) {
        throw e;
      }
      LOG.error("cannot re-read the inventory, keeping the previous one: {}", e.getMessage());
    }
    return lastInventory;
  }

  private Decision.Hold unwritableHold() {
    return new Decision.Hold(false, unwritable + ": no restart starts until it can");
  }

  /**
   * Why state_dir could not be written last time (the state file, or a run's directory); null when
   * the last write succeeded.
   */
  private volatile String unwritable;

  /**
   * Keeps {@code next} and writes it. A write that fails (state_dir read-only or full) is logged
   * and counted, never thrown: a restart under way goes on to its end (and the in-flight record
   * already on disk names its server, for a restore after a crash), and no new one starts until a
   * write succeeds again (checked before each slot's run starts, and by the intent's own write).
   */
  private void save(DaemonState next) {
    state = next;
    try {
      store.save(next);
      if (unwritable != null) {
        LOG.info("the state file {} can be written again", store.file());
        unwritable = null;
      }
    } catch (java.io.UncheckedIOException | StateException e) {
      String why =
          e.getCause() != null && e.getCause().getMessage() != null
              ? e.getCause().getMessage()
              : e.getMessage();
      String what = "the state file " + store.file() + " cannot be written (" + why + ")";
      if (!what.equals(unwritable)) {
        LOG.error("{}: no new restart starts until it can", what);
      }
      unwritable = what;
      listener.stateWriteFailed(why);
    }
  }
}
