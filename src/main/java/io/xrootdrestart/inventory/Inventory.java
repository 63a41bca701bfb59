package io.xrootdrestart.inventory;

import java.util.List;
import java.util.Optional;

/**
 * The servers of one inventory group, in inventory order, and its rotations: one per child group,
 * and one of the group's own hosts (a flat group is one rotation).
 */
public record Inventory(
    String source, String group, List<Server> servers, List<Rotation> rotations) {
  public Inventory {
    servers = List.copyOf(servers);
    rotations = List.copyOf(rotations);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("an inventory needs servers");
    }
  }

  /** A flat group: one rotation of all its servers, with no settings of its own. */
  public Inventory(String source, String group, List<Server> servers) {
    this(source, group, servers, List.of(new Rotation(group, servers, java.util.Map.of())));
  }

  public Optional<Server> server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** The rotation named {@code name} as an inventory of its own, if the group still has it. */
  public Optional<Inventory> rotation(String name) {
    return rotations.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .map(r -> new Inventory(source, r.name(), r.servers(), List.of(r)));
  }

  /** The rotation {@code server} belongs to. */
  public Optional<Rotation> rotationOf(String server) {
    return rotations.stream().filter(r -> r.names().contains(server)).findFirst();
  }
}
