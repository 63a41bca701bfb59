package io.xrootdrestart.cli;

import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.state.Controls;
import java.time.Instant;
import picocli.CommandLine.Command;

@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "End a pause: a running daemon restarts again from its next slot. Contacts no server."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:resumed (or was not paused)", "2:bad configuration or inventory"})
final class ResumeCommand extends ControlCommand {
  private boolean wasPaused;

  ResumeCommand(Context context) {
    super(context);
  }

  @Override
  Controls change(Controls controls, Inventory inventory, Instant now) {
    wasPaused = controls.pause().isPresent();
    return controls.resumed();
  }

  @Override
  String done(Controls controls) {
    return wasPaused
        ? "resumed: the rotation goes on at the next slot"
        : "the rotation was not paused";
  }
}
