package io.xrootdrestart.inventory;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Origin;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads the servers named by the config's {@code inventory} and {@code inventory_group}. */
public final class InventoryLoader {
  private final InventorySource ansible;

  public InventoryLoader(InventorySource ansible) {
    this.ansible = ansible;
  }

  public Inventory load(Config config) {
    String source = config.get(Keys.INVENTORY);
    String origin = config.setting(Keys.INVENTORY).origin().describe();
    boolean hostList = InventoryParser.isHostList(source);
    if (!hostList && !Files.exists(Path.of(source))) {
      throw new InventoryException(
          source, "not found (set by " + origin + "; set the inventory key, or pass --inventory)");
    }
    InventoryParser parser =
        new InventoryParser(
            source,
            config.get(Keys.CMSD_SVC),
            config.get(Keys.XROOTD_SVC),
            config.get(Keys.XROOTD_PORT));
    try {
      return parser.parse(ansible.listJson(source), config.get(Keys.INVENTORY_GROUP));
    } catch (InventoryException e) {
      // a host list lives where it was set, not in a file of its own: name that place; so does a
      // path set in the config file (a mistaken one may be the config's fault, not the inventory's)
      Origin group = config.setting(Keys.INVENTORY_GROUP).origin();
      Origin.Kind from = config.setting(Keys.INVENTORY).origin().kind();
      InventoryException named = hostList || from == Origin.Kind.FILE ? e.setBy(origin) : e;
      throw group.kind() == Origin.Kind.DEFAULT ? named : named.groupSetBy(group.describe());
    }
  }
}
