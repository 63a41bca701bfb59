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
 * @param xrootdPort the port xrootd answers on: host var {@code xrootd_port}, else the config's
 */
public record Server(
    String name,
    String address,
    int port,
    Optional<String> inventoryUser,
    String cmsdUnit,
    String xrootdUnit,
    int xrootdPort) {
  public Server {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(inventoryUser, "inventoryUser");
    Objects.requireNonNull(cmsdUnit, "cmsdUnit");
    Objects.requireNonNull(xrootdUnit, "xrootdUnit");
    if (port < 1 || port > 65535 || xrootdPort < 1 || xrootdPort > 65535) {
      throw new IllegalArgumentException("port " + port + ", xrootd port " + xrootdPort);
    }
  }

  /** A server whose xrootd answers on the default port, 1094. */
  public Server(
      String name,
      String address,
      int port,
      Optional<String> inventoryUser,
      String cmsdUnit,
      String xrootdUnit) {
    this(name, address, port, inventoryUser, cmsdUnit, xrootdUnit, DEFAULT_XROOTD_PORT);
  }

  public static final int DEFAULT_XROOTD_PORT = 1094;

  /** "address:port", what two entries must not share. */
  public String endpoint() {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
