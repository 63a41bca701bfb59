package io.xrootdrestart.cli;

import io.xrootdrestart.BadInputException;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.StateStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The admin's controls ({@code pause}, {@code resume}, {@code exclude}, {@code include}): each
 * changes {@code state_dir/controls.json} and says what a running daemon will do. None contacts a
 * server; a running daemon honours the change at its next slot.
 */
abstract class ControlCommand implements Callable<Integer> {
  final Context context;
  final Clock clock = Clock.systemUTC();

  @Mixin ConfigOptions options;

  @Spec CommandSpec spec;

  ControlCommand(Context context) {
    this.context = context;
  }

  /** The change, given the inventory (for checking server names) and the time now. */
  abstract Controls change(Controls controls, Inventory inventory, Instant now);

  /** One line on what happened, for the admin. */
  abstract String done(Controls controls);

  @Override
  public Integer call() {
    Config config = options.load(context);
    Inventory inventory = Runtime.inventory(context, config);
    Instant now = clock.instant();
    Controls next =
        new StateStore(config.get(Keys.STATE_DIR))
            .controls()
            .update(c -> change(c, inventory, now));
    PrintWriter out = spec.commandLine().getOut();
    out.println(done(next));
    out.flush();
    return ExitCodes.OK;
  }

  /** The server of that name in the inventory group, or exit 2 naming the group and the servers. */
  static Server server(Inventory inventory, String name) {
    return inventory
        .server(name)
        .orElseThrow(
            () ->
                new BadInputException(
                    "no server \""
                        + name
                        + "\" in group "
                        + inventory.group()
                        + " of "
                        + inventory.source()
                        + "; servers: "
                        + String.join(
                            ", ", inventory.servers().stream().map(Server::name).toList())));
  }
}
