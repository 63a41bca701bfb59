package io.xrootdrestart.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One rotation: the servers of one child group of {@code inventory_group} (or the group's own
 * hosts), restarted one at a time on a schedule of their own, with their own guard.
 *
 * @param name the child group's name (the group's own, for its direct hosts)
 * @param servers the rotation's servers, in inventory order
 * @param vars the rotation's own settings: each {@link #KEYS} variable its hosts have, by name
 */
public record Rotation(String name, List<Server> servers, Map<String, JsonNode> vars) {
  /** The settings a group may set for its rotation, as {@code xrootdrestart_<key>} variables. */
  public static final List<Key<?>> KEYS =
      List.of(
          Keys.MIN_OK,
          Keys.CMSD_PERIOD,
          Keys.CMSD_WAIT,
          Keys.WINDOW_DAYS,
          Keys.WINDOW_START,
          Keys.WINDOW_END,
          Keys.WINDOW_TIMEZONE,
          Keys.PRE_RESTART_TASKS,
          Keys.POST_RESTART_TASKS);

  public Rotation {
    Objects.requireNonNull(name, "name");
    servers = List.copyOf(servers);
    vars = Map.copyOf(vars);
  }

  /** The inventory variable that sets {@code key} for a rotation. */
  public static String variable(Key<?> key) {
    return "xrootdrestart_" + key.name();
  }

  public List<String> names() {
    return servers.stream().map(Server::name).toList();
  }
}
