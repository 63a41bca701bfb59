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
  void aHostListThatCannotBeUsedNamesWhereItWasSet() {
    InventoryException e = assertThrows(InventoryException.class, () -> load(","));
    assertTrue(e.getMessage().contains("(set by command line --inventory)"), e.getMessage());
  }

  @Test
  void aGroupThatIsNotThereNamesWhereInventoryGroupWasSet() {
    InventoryException e =
        assertThrows(
            InventoryException.class, () -> load("hosts.yml", "inventory_group", "garbage"));
    assertTrue(
        e.getMessage().contains("(inventory_group is set by command line --inventory-group)"),
        e.getMessage());
  }

  @Test
  void missingInventory() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("nothing-here.yml"));
    assertTrue(e.getMessage().contains("nothing-here.yml: not found"), e.getMessage());
    assertTrue(e.getMessage().contains("set by command line --inventory"), e.getMessage());
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

  private Config config(String inventory) {
    Map<Key<?>, String> cli = new HashMap<>();
    cli.put(Keys.INVENTORY, RESOURCES.resolve(inventory).toString());
    return new ConfigLoader(new Platform(false, home, home, Map.of())).load(Optional.empty(), cli);
  }

  @Test
  void eachChildGroupIsARotationAndTheGroupsOwnHostsAnother() {
    Config base = config("rotations/hosts.yml");
    Inventory inv = new InventoryLoader(new AnsibleInventory()).load(base);
    assertEquals(
        List.of("xrootd_servers", "atlas", "cms"),
        inv.rotations().stream().map(Rotation::name).toList());
    assertEquals(List.of("solo1.example.org", "solo2.example.org"), inv.rotations().get(0).names());
    assertEquals(
        List.of("c1.example.org", "c2.example.org", "c3.example.org"),
        inv.rotations().get(2).names(),
        "a child's own children belong to its rotation");
    Map<String, Config> configs = RotationConfigs.of(base, inv);
    Config atlas = configs.get("atlas");
    assertEquals(2, atlas.get(Keys.MIN_OK), "the child's group_vars win over the parent's");
    assertEquals(java.time.Duration.ofDays(1), atlas.get(Keys.CMSD_PERIOD));
    assertEquals(java.time.LocalTime.of(22, 0), atlas.get(Keys.WINDOW_START).orElseThrow());
    assertTrue(
        atlas.setting(Keys.MIN_OK).origin().describe().endsWith("rotations/hosts.yml, group atlas"),
        atlas.setting(Keys.MIN_OK).origin().describe());
    Config cms = configs.get("cms");
    assertEquals(java.time.Duration.ofSeconds(30), cms.get(Keys.CMSD_WAIT));
    assertEquals(1, cms.get(Keys.MIN_OK), "from the parent group's variable");
    assertEquals(
        Optional.of(RESOURCES.resolve("rotations/hooks/out.yml")),
        cms.get(Keys.PRE_RESTART_TASKS),
        "a relative path is from the inventory's directory");
    assertEquals(base.get(Keys.CMSD_PERIOD), cms.get(Keys.CMSD_PERIOD), "from the config");
    assertEquals(
        List.of("solo1.example.org", "solo2.example.org"),
        names(inv.rotation("xrootd_servers").orElseThrow()));
  }

  @Test
  void aFlatGroupIsOneRotation() {
    Inventory inv = load("dir");
    assertEquals(1, inv.rotations().size());
    assertEquals(names(inv), inv.rotations().get(0).names());
  }

  @Test
  void aHostInTwoRotationsIsAnError() {
    InventoryException e = assertThrows(InventoryException.class, () -> load("two-rotations.yml"));
    assertTrue(
        e.getMessage()
            .contains(
                "host shared.example.org is in two rotations of group xrootd_servers: group atlas"
                    + " and group cms"),
        e.getMessage());
    assertTrue(e.getMessage().contains("two-rotations.yml"), e.getMessage());
  }

  @Test
  void hostsOfARotationMustAgreeOnItsSettings() {
    InventoryException e =
        assertThrows(InventoryException.class, () -> load("rotation-disagree.yml"));
    assertTrue(
        e.getMessage()
            .contains(
                "group atlas: xrootdrestart_min_ok: hosts a1.example.org and a2.example.org have"
                    + " different values (none and 0)"),
        e.getMessage());
  }

  @Test
  void badRotationSettingsNameInventoryGroupAndVariable() {
    Config base = config("rotation-unmeetable.yml");
    Inventory inv = new InventoryLoader(new AnsibleInventory()).load(base);
    io.xrootdrestart.config.ConfigException e =
        assertThrows(
            io.xrootdrestart.config.ConfigException.class, () -> RotationConfigs.of(base, inv));
    String m = e.getMessage();
    String file = RESOURCES.resolve("rotation-unmeetable.yml").toString();
    for (String expected :
        List.of(
            "inventory "
                + file
                + ", group atlas: xrootdrestart_min_ok: 3 can never be met: its 3 server(s) leave"
                + " at most 2 other(s) healthy while one restarts",
            "inventory " + file + ", group cms: window_start: set window_end too",
            "inventory " + file + ", group lhcb: xrootdrestart_cmsd_wait: ",
            "default: min_ok: 1 can never be met in rotation alice of " + file)) {
      assertTrue(m.contains(expected), "missing: " + expected + "\n" + m);
    }
  }
}
