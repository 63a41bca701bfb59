package io.xrootdrestart.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.ansible.AnsibleInventory;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Platform;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The inventory read by the real ansible-inventory. */
@UsesTools
class InventoryLoaderTest {
  private static final Path RESOURCES = Path.of("src/test/resources/inventory").toAbsolutePath();

  @TempDir Path home;

  private Inventory load(String inventory, String... more) {
    Map<Key<?>, String> cli = new HashMap<>();
    cli.put(
        Keys.INVENTORY,
        inventory.contains(",") ? inventory : RESOURCES.resolve(inventory).toString());
    for (int i = 0; i < more.length; i += 2) {
      cli.put(Keys.byName(more[i]).orElseThrow(), more[i + 1]);
    }
    Config config =
        new ConfigLoader(new Platform(false, home, home, Map.of())).load(Optional.empty(), cli);
    return new InventoryLoader(new AnsibleInventory()).load(config);
  }

  private static List<String> names(Inventory inventory) {
    return inventory.servers().stream().map(Server::name).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"hosts.ini", "hosts.yml"})
  void keepsInventoryOrderWithChildrenAfterTheGroupsOwnHosts(String file) {
    Inventory inv = load(file);
    assertEquals(
        List.of(
            "store3.example.org", "store1.example.org", "store2.example.org", "store9.example.org"),
        names(inv));
    Server store1 = inv.server("store1.example.org").orElseThrow();
    assertEquals("192.0.2.11", store1.address());
    assertEquals(2222, store1.port());
    assertEquals(Optional.of("admin"), store1.inventoryUser());
    assertEquals(22, inv.server("store3.example.org").orElseThrow().port());
  }

  @ParameterizedTest
  @ValueSource(strings = {"hosts.ini", "hosts.yml"})
  void perHostUnitOverridesWinOverTheConfig(String file) {
    Inventory inv = load(file, "cmsd_svc", "cmsd@site", "xrootd_svc", "xrootd@site");
    Server store2 = inv.server("store2.example.org").orElseThrow();
    assertEquals("xrootd@other", store2.xrootdUnit());
    assertEquals("cmsd@site", store2.cmsdUnit());
    Server store9 = inv.server("store9.example.org").orElseThrow();
    assertEquals("cmsd@other.service", store9.cmsdUnit());
    assertEquals("xrootd@site", store9.xrootdUnit());
  }

  @Test
  void readsADirectoryInventoryWithGroupVars() {
    Inventory inv = load("dir");
    assertEquals(
        List.of("store3.example.org", "store1.example.org", "store2.example.org"), names(inv));
    assertTrue(inv.servers().stream().allMatch(s -> s.xrootdUnit().equals("xrootd@site")));
  }

  @Test
  void aCommaListIsTheServerListItself() {
    Inventory inv = load("b.example.org,a.example.org,");
    assertEquals(List.of("b.example.org", "a.example.org"), names(inv));
  }

  @Test
  void anotherGroupCanBeChosen() {
    assertEquals(
        List.of("prom.example.org"), names(load("hosts.yml", "inventory_group", "monitoring")));
  }

  @Test
  void missingInventory() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("nothing-here.yml"));
    assertTrue(e.getMessage().contains("nothing-here.yml: not found"), e.getMessage());
  }

  @Test
  void unparsableInventoryIsAnErrorNotAnEmptyFleet() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("unparsable.yml"));
    assertTrue(e.getMessage().contains("unparsable.yml: Ansible cannot read it"), e.getMessage());
  }

  @Test
  void missingGroupSuggestsTheNearestOne() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("other-group.yml"));
    assertTrue(
        e.getMessage()
            .contains(
                "group \"xrootd_servers\" is missing or has no hosts (did you mean"
                    + " xrootd_server?)"),
        e.getMessage());
  }

  @Test
  void emptyGroup() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("empty-group.ini"));
    assertTrue(
        e.getMessage()
            .contains("group \"xrootd_servers\" is missing or has no hosts; groups found: other"),
        e.getMessage());
  }

  @Test
  void theSameServerTwice() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("duplicate.yml"));
    assertTrue(
        e.getMessage()
            .contains(
                "hosts \"store1.example.org\" and \"store1-alias\" are the same server"
                    + " (192.0.2.11:22)"),
        e.getMessage());
  }

  @Test
  void badUnitOverrideNamesHostAndVariable() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("bad-unit.yml"));
    assertTrue(
        e.getMessage().contains("bad-unit.yml: host a.example.org: xrootd_svc: "), e.getMessage());
  }

  @Test
  void badPortNamesHostAndVariable() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("bad-port.yml"));
    assertTrue(
        e.getMessage().contains("host a.example.org: ansible_port: expected a port 1-65535"),
        e.getMessage());
  }
}
