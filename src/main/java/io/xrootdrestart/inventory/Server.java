package io.xrootdrestart.inventory;

import java.util.Objects;
import java.util.Optional;

/**
 * One XRootD server of the inventory group.
 *
 * @param name the inventory host name, as Ansible and the alerts know it
 * @param address where SSH connects: {@code ansible_host}, else the name
 * @param port SSH port: {@code ansible_port}, else 22
 * @param inventoryUser {@code ansible_user} from the inventory (the admin's; the daemon uses
 *     ssh_user)
 * @param cmsdUnit the cmsd unit: host var {@code cmsd_svc}, else the config's
 * @param xrootdUnit the xrootd unit: host var {@code xrootd_svc}, else the config's
 */
public record Server(
    String name,
    String address,
    int port,
    Optional<String> inventoryUser,
    String cmsdUnit,
    String xrootdUnit) {
  public Server {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(inventoryUser, "inventoryUser");
    Objects.requireNonNull(cmsdUnit, "cmsdUnit");
    Objects.requireNonNull(xrootdUnit, "xrootdUnit");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port);
    }
  }

  /** "address:port", what two entries must not share. */
  public String endpoint() {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
