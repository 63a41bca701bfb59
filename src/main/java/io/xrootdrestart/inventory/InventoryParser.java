package io.xrootdrestart.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.config.InvalidValueException;
import io.xrootdrestart.config.Suggestions;
import io.xrootdrestart.config.UnitNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code ansible-inventory --list} output into the servers of one group, in inventory order.
 */
public final class InventoryParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final String defaultCmsd;
  private final String defaultXrootd;
  private final int defaultXrootdPort;

  /**
   * @param source the inventory as given to {@code -i}, for messages
   * @param defaultCmsd the config's cmsd_svc, for hosts without an override
   * @param defaultXrootd the config's xrootd_svc
   * @param defaultXrootdPort the config's xrootd_port
   */
  public InventoryParser(
      String source, String defaultCmsd, String defaultXrootd, int defaultXrootdPort) {
    this.source = source;
    this.defaultCmsd = defaultCmsd;
    this.defaultXrootd = defaultXrootd;
    this.defaultXrootdPort = defaultXrootdPort;
  }

  public InventoryParser(String source, String defaultCmsd, String defaultXrootd) {
    this(source, defaultCmsd, defaultXrootd, Server.DEFAULT_XROOTD_PORT);
  }

  /** A comma-separated host list ("a,b,") has no groups: all its hosts are the servers. */
  public static boolean isHostList(String inventory) {
    return inventory.contains(",");
  }

  public Inventory parse(String json, String group) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw fail("ansible-inventory printed something that is not JSON: " + e.getOriginalMessage());
    }
    String wanted = isHostList(source) ? "all" : group;
    if (!wanted.equals("all") && !root.has(wanted)) {
      List<String> groups = new ArrayList<>();
      root.fieldNames()
          .forEachRemaining(
              g -> {
                if (!g.startsWith("_") && !g.equals("all") && !g.equals("ungrouped")) {
                  groups.add(g);
                }
              });
      throw InventoryException.group(
          source,
          "group \""
              + wanted
              + "\" is missing or has no hosts"
              + Suggestions.didYouMean(wanted, groups)
              + (groups.isEmpty()
                  ? " (the inventory has no groups)"
                  : "; groups found: " + String.join(", ", groups))
              + ". Put the servers in group "
              + wanted
              + ", or set inventory_group.");
    }
    Set<String> names = new LinkedHashSet<>();
    collect(root, wanted, names, new HashSet<>());
    if (names.isEmpty()) {
      throw InventoryException.group(source, "group \"" + wanted + "\" has no hosts");
    }
    JsonNode hostvars = root.path("_meta").path("hostvars");
    List<Server> servers = new ArrayList<>();
    Map<String, String> byEndpoint = new HashMap<>();
    for (String name : names) {
      Server server = server(name, hostvars.path(name));
      String other = byEndpoint.putIfAbsent(server.endpoint(), name);
      if (other != null) {
        throw fail(
            "hosts \""
                + other
                + "\" and \""
                + name
                + "\" are the same server ("
                + server.endpoint()
                + "); list each server once");
      }
      servers.add(server);
    }
    return new Inventory(source, wanted, servers, rotations(root, wanted, servers, hostvars));
  }

  /**
   * The group's rotations: its own hosts, then one per child group (with the child's descendants),
   * each with the rotation settings its hosts agree on. A host in two rotations is an error.
   */
  private List<Rotation> rotations(
      JsonNode root, String group, List<Server> servers, JsonNode hostvars) {
    Map<String, Set<String>> members = new LinkedHashMap<>();
    if (isHostList(source)) {
      members.put(group, new LinkedHashSet<>(servers.stream().map(Server::name).toList()));
    } else {
      Set<String> own = new LinkedHashSet<>();
      root.path(group).path("hosts").forEach(h -> own.add(h.asText()));
      members.put(group, own);
      for (JsonNode child : root.path(group).path("children")) {
        Set<String> hosts = new LinkedHashSet<>();
        collect(root, child.asText(), hosts, new HashSet<>());
        members.put(child.asText(), hosts);
      }
    }
    Map<String, String> rotationOf = new HashMap<>();
    List<Rotation> rotations = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : members.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      for (String host : e.getValue()) {
        String other = rotationOf.putIfAbsent(host, e.getKey());
        if (other != null) {
          throw fail(
              "host "
                  + host
                  + " is in two rotations of group "
                  + group
                  + ": "
                  + rotationLabel(group, other)
                  + " and "
                  + rotationLabel(group, e.getKey())
                  + "; put each server in one child group of "
                  + group);
        }
      }
      List<Server> theirs = servers.stream().filter(s -> e.getValue().contains(s.name())).toList();
      rotations.add(new Rotation(e.getKey(), theirs, rotationVars(e.getKey(), theirs, hostvars)));
    }
    return rotations;
  }

  private static String rotationLabel(String group, String rotation) {
    return rotation.equals(group) ? "its own hosts" : "group " + rotation;
  }

  /** The rotation settings of {@code rotation}'s hosts, which must agree on each. */
  private Map<String, JsonNode> rotationVars(
      String rotation, List<Server> servers, JsonNode hostvars) {
    Map<String, JsonNode> vars = new LinkedHashMap<>();
    for (io.xrootdrestart.config.Key<?> key : Rotation.KEYS) {
      String variable = Rotation.variable(key);
      JsonNode first = null;
      String firstHost = null;
      for (Server s : servers) {
        JsonNode v = hostvars.path(s.name()).get(variable);
        if (firstHost == null) {
          first = v;
          firstHost = s.name();
        } else if (!java.util.Objects.equals(first, v)) {
          throw fail(
              "group "
                  + rotation
                  + ": "
                  + variable
                  + ": hosts "
                  + firstHost
                  + " and "
                  + s.name()
                  + " have different values ("
                  + (first == null ? "none" : first)
                  + " and "
                  + (v == null ? "none" : v)
                  + "); a rotation has one, set it for the group");
        }
      }
      if (first != null && !first.isNull()) {
        if (first.isTextual() && first.asText().contains("{{")) {
          throw fail(
              "group "
                  + rotation
                  + ": "
                  + variable
                  + ": Jinja2 templates are not expanded here; write the value itself");
        }
        vars.put(variable, first);
      }
    }
    return vars;
  }

  /** The group's own hosts first, then its children's, depth first, each host once. */
  private static void collect(JsonNode root, String group, Set<String> out, Set<String> visited) {
    if (!visited.add(group)) {
      return;
    }
    JsonNode g = root.path(group);
    g.path("hosts").forEach(h -> out.add(h.asText()));
    g.path("children").forEach(c -> collect(root, c.asText(), out, visited));
  }

  private Server server(String name, JsonNode vars) {
    String address = text(name, vars, "ansible_host").orElse(name);
    int port = port(name, vars, "ansible_port", 22);
    int xrootdPort = port(name, vars, "xrootd_port", defaultXrootdPort);
    String cmsd = unit(name, vars, "cmsd_svc", defaultCmsd);
    String xrootd = unit(name, vars, "xrootd_svc", defaultXrootd);
    if (UnitNames.same(cmsd, xrootd)) {
      throw failHost(
          name,
          vars.has("xrootd_svc") ? "xrootd_svc" : "cmsd_svc",
          "cmsd_svc and xrootd_svc name the same"
              + " unit, "
              + cmsd
              + "; they must be the two different units of the server");
    }
    return new Server(
        name, address, port, text(name, vars, "ansible_user"), cmsd, xrootd, xrootdPort);
  }

  private int port(String host, JsonNode vars, String variable, int fallback) {
    Optional<String> text = text(host, vars, variable);
    if (text.isEmpty()) {
      return fallback;
    }
    int port;
    try {
      port = Integer.parseInt(text.get());
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw failHost(host, variable, "expected a port 1-65535, got \"" + text.get() + "\"");
    }
    return port;
  }

  private String unit(String host, JsonNode vars, String variable, String fallback) {
    Optional<String> value = text(host, vars, variable);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      return UnitNames.check(value.get());
    } catch (InvalidValueException e) {
      throw failHost(host, variable, e.getMessage());
    }
  }

  private Optional<String> text(String host, JsonNode vars, String variable) {
    JsonNode v = vars.get(variable);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (v.isContainerNode()) {
      throw failHost(host, variable, "expected a single value, got " + v);
    }
    String s = v.asText().strip();
    if (s.contains("{{")) {
      throw failHost(
          host, variable, "Jinja2 templates are not expanded here; write the value itself");
    }
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private InventoryException fail(String message) {
    return new InventoryException(source, message);
  }

  private InventoryException failHost(String host, String variable, String message) {
    return new InventoryException(source, "host " + host + ": " + variable + ": " + message);
  }
}
