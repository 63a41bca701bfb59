package io.xrootdrestart.inventory;

import io.xrootdrestart.BadInputException;

/**
 * The inventory cannot be used; the message names the inventory, and the host and variable if any.
 */
public final class InventoryException extends BadInputException {
  private final String inventory;
  private final String reason;
  private final boolean aboutGroup;

  public InventoryException(String inventory, String message) {
    this(inventory, message, false);
  }

  private InventoryException(String inventory, String message, boolean aboutGroup) {
    super("inventory " + inventory + ": " + message);
    this.inventory = inventory;
    this.reason = message;
    this.aboutGroup = aboutGroup;
  }

  /** The inventory has no group {@code inventory_group} names, or that group has no hosts. */
  static InventoryException group(String inventory, String message) {
    return new InventoryException(inventory, message, true);
  }

  /** The same, naming where the inventory was set too (for an inventory that is not a file). */
  InventoryException setBy(String origin) {
    return new InventoryException(inventory + " (set by " + origin + ")", reason, aboutGroup);
  }

  /**
   * The same, naming where inventory_group was set, when the group it names is what is wrong (the
   * mistake may be in the config, not in the inventory).
   */
  InventoryException groupSetBy(String origin) {
    if (!aboutGroup) {
      return this;
    }
    boolean sentence = reason.endsWith(".");
    String said = sentence ? reason.substring(0, reason.length() - 1) : reason;
    return new InventoryException(
        inventory,
        said + " (inventory_group is set by " + origin + ")" + (sentence ? "." : ""),
        true);
  }
}
