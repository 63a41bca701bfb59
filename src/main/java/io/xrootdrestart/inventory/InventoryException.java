package io.xrootdrestart.inventory;

import io.xrootdrestart.BadInputException;

/**
 * The inventory cannot be used; the message names the inventory, and the host and variable if any.
 */
public final class InventoryException extends BadInputException {
  public InventoryException(String inventory, String message) {
    super("inventory " + inventory + ": " + message);
  }
}
