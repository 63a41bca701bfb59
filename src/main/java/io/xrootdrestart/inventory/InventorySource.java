package io.xrootdrestart.inventory;

/** Gives an inventory as {@code ansible-inventory --list} prints it. */
@FunctionalInterface
public interface InventorySource {
  /**
   * @param inventory what {@code ansible-inventory -i} takes: a path or a comma-separated host list
   */
  String listJson(String inventory);
}
