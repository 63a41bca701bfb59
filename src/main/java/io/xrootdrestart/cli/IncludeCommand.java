package io.xrootdrestart.cli;

import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.state.Controls;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "include",
    mixinStandardHelpOptions = true,
    description = {
      "Put an excluded server back in the rotation from the daemon's next slot on. Contacts no"
          + " server."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:included (or was not excluded)",
      "2:unknown server, configuration or inventory"
    })
final class IncludeCommand extends ControlCommand {
  @Parameters(index = "0", paramLabel = "SERVER", description = "Inventory name of the server.")
  String server;

  private boolean wasExcluded;

  IncludeCommand(Context context) {
    super(context);
  }

  @Override
  Controls change(Controls controls, Inventory inventory, Instant now) {
    String name = server(inventory, server).name();
    wasExcluded = controls.excluded().containsKey(name);
    return controls.include(name);
  }

  @Override
  String done(Controls controls) {
    return wasExcluded ? server + " is back in the rotation" : server + " was not excluded";
  }
}
