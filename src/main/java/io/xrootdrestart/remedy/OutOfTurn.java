package io.xrootdrestart.remedy;

import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.state.ServerRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which servers are due for a restart ahead of the schedule's order, and whether flood control
 * still lets them have one:
 *
 * <ul>
 *   <li>a server whose units are active but which does not serve (the xrootd check found it frozen,
 *       or not in the cluster): restarting it is what brings it back;
 *   <li>a server that the site's own condition ({@code restart_when}) names.
 * </ul>
 *
 * At most {@code remedial_per_day} such restarts of one server start within 24 hours; beyond that
 * the server is left alone and its restart alert says why.
 */
public final class OutOfTurn {
  /** Why a server is due out of turn. */
  public enum Cause {
    /** Its units are active, but it does not serve. */
    NOT_SERVING,
    /** restart_when names it. */
    RESTART_WHEN;

    /** "not_serving", "restart_when": the metric's label. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A server due out of turn, and why ("xrootd answers but is not in the cluster"). */
  public record Due(String server, Cause cause, String why) {
    public Due {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(cause, "cause");
      Objects.requireNonNull(why, "why");
    }
  }

  private final int perDay;
  private final RestartWhen restartWhen;
  private volatile Set<String> named = Set.of();

  /**
   * @param perDay remedial_per_day: out-of-turn restarts one server may have within 24 hours
   */
  public OutOfTurn(int perDay, RestartWhen restartWhen) {
    if (perDay < 0) {
      throw new IllegalArgumentException("remedial_per_day must not be negative");
    }
    this.perDay = perDay;
    this.restartWhen = Objects.requireNonNull(restartWhen);
  }

  public int perDay() {
    return perDay;
  }

  /**
   * Asks restart_when again (once per slot). When it cannot be asked, no server is named until the
   * next time: the error, for the log and the failure count.
   */
  public Optional<String> ask() {
    try {
      named = Set.copyOf(restartWhen.ask());
      return Optional.empty();
    } catch (RestartWhen.QueryFailedException e) {
      named = Set.of();
      return Optional.of(e.getMessage());
    }
  }

  /** The servers due out of turn, in the order of {@code servers}. */
  public List<Due> due(List<Server> servers, FleetHealth health) {
    List<Due> due = new ArrayList<>();
    for (Server s : servers) {
      Optional<ServerHealth> h = health.server(s.name());
      if (h.isPresent() && h.get().unitsActive() && h.get().notServing().isPresent()) {
        due.add(new Due(s.name(), Cause.NOT_SERVING, h.get().notServing().get()));
      } else if (named.contains(s.name()) || named.contains(s.address())) {
        due.add(new Due(s.name(), Cause.RESTART_WHEN, "restart_when names it"));
      }
    }
    return due;
  }

  /** Out-of-turn restarts of the server that started within the 24 hours before {@code now}. */
  public int today(ServerRecord record, Instant now) {
    return record.outOfTurnSince(now.minus(ServerRecord.DAY)).size();
  }

  /** Whether flood control lets the server have another out-of-turn restart now. */
  public boolean allowed(ServerRecord record, Instant now) {
    return today(record, now) < perDay;
  }
}
