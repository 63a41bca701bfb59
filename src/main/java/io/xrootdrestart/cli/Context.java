package io.xrootdrestart.cli;

import io.xrootdrestart.config.Platform;
import io.xrootdrestart.inventory.InventorySource;
import java.util.Objects;

/** The real adapters the commands use; tests hand in their own platform (environment, home). */
public record Context(Platform platform, InventorySource inventorySource) {
  public Context {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(inventorySource, "inventorySource");
  }
}
