package io.xrootdrestart.inventory;

import io.xrootdrestart.BadInputException;

/**
 * The inventory cannot be used; the message names the inventory, and the host and variable if any.
 */
public final class InventoryException extends BadInputException {
  private final String inventory;
  private final String reason;

  public InventoryException(String inventory, String message) {
    super("inventory " + inventory + ": " + message);
    this.inventory = inventory;
    this.reason = message;
  }

  /** The same, naming where the inventory was set too (for an inventory that is not a file). */
  InventoryException setBy(String origin) {
    return new InventoryException(inventory + " (set by " + origin + ")", reason);
  }
}
