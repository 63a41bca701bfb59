package io.xrootdrestart.inventory;

import java.util.List;
import java.util.Optional;

/** The servers of one inventory group, in inventory order. */
public record Inventory(String source, String group, List<Server> servers) {
  public Inventory {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("an inventory needs servers");
    }
  }

  public Optional<Server> server(String name) {
    return servers.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
