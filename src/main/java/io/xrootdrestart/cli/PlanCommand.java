package io.xrootdrestart.cli;

import picocli.CommandLine.Command;

/**
 * {@code plan}: the next slots, each server's last success, and what the guard would decide right
 * now.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Print the next slots (server and time, local and UTC), each server's last success, and what"
          + " the guard would decide right now (this runs the read-only health check). Changes"
          + " nothing."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "2:bad configuration, inventory or state"})
final class PlanCommand extends StatusCommand {
  PlanCommand(Context context) {
    super(context);
  }

  @Override
  boolean withGuard() {
    return true;
  }
}
