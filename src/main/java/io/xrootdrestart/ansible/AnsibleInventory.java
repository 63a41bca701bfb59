package io.xrootdrestart.ansible;

import io.xrootdrestart.inventory.InventoryException;
import io.xrootdrestart.inventory.InventorySource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Reads an inventory with {@code ansible-inventory --list}, so that every inventory format and
 * plugin Ansible knows works. An inventory Ansible cannot parse is an error, not an empty fleet.
 */
public final class AnsibleInventory implements InventorySource {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Map<String, String> STRICT =
      Map.of(
          "ANSIBLE_INVENTORY_UNPARSED_FAILED", "true",
          "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED", "true",
          "ANSIBLE_NOCOLOR", "1",
          "ANSIBLE_DEPRECATION_WARNINGS", "false");

  @Override
  public String listJson(String inventory) {
    CommandResult result;
    try {
      result =
          Commands.run(List.of("ansible-inventory", "-i", inventory, "--list"), STRICT, TIMEOUT);
    } catch (TimeoutException e) {
      throw new InventoryException(
          inventory,
          "ansible-inventory did not answer within "
              + TIMEOUT.toSeconds()
              + " s (a dynamic inventory script that hangs?)");
    }
    if (result.exitCode() != 0) {
      throw new InventoryException(
          inventory, "Ansible cannot read it: " + summarize(result.stderr()));
    }
    return result.stdout();
  }

  /** Ansible's error lines, without its colour and line wrapping noise. */
  static String summarize(String stderr) {
    String joined =
        stderr
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .collect(Collectors.joining(" "));
    return joined.replaceAll("\\s+", " ").replace("[WARNING]: ", "").strip();
  }
}
