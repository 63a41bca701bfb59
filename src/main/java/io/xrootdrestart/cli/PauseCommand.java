package io.xrootdrestart.cli;

import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.state.Controls;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description = {
      "Pause the rotation: a running daemon restarts no server from its next slot on, until"
          + " 'resume'. A restart already under way finishes. Persisted in state_dir/controls.json,"
          + " so it holds across daemon restarts. Contacts no server."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:paused", "2:bad configuration or inventory"})
final class PauseCommand extends ControlCommand {
  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why, shown by status, plan and /status.")
  String reason = "";

  PauseCommand(Context context) {
    super(context);
  }

  @Override
  Controls change(Controls controls, Inventory inventory, Instant now) {
    return controls.paused(reason, now);
  }

  @Override
  String done(Controls controls) {
    return "paused"
        + (reason.isEmpty() ? "" : " (" + reason + ")")
        + ": no server is restarted until"
        + " 'xrootdrestart resume'; a restart under way finishes first";
  }
}
