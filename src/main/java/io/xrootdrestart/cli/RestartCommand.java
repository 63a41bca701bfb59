package io.xrootdrestart.cli;

import io.xrootdrestart.BadInputException;
import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.Rotation;
import io.xrootdrestart.inventory.RotationConfigs;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.LoggingListener;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.RestartResult;
import io.xrootdrestart.restart.Shutdown;
import io.xrootdrestart.state.StateLock;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "restart",
    mixinStandardHelpOptions = true,
    description = {
      "Restart one server now, through the same guard and steps as the daemon, printing each step."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:restarted",
      "2:bad input (unknown server, config, inventory) or the daemon is running",
      "3:the restart failed or a unit is stuck (restore was run)",
      "4:the server is unreachable",
      "5:held by the guard (too few healthy servers, or a blocking alert)",
      "6:stopped by a signal; the server was restored"
    })
final class RestartCommand implements Callable<Integer> {
  private final Context context;

  @Mixin ConfigOptions options;

  @Parameters(index = "0", paramLabel = "SERVER", description = "Inventory name of the server.")
  String server;

  @Option(
      names = "--force",
      description = "Skip the min_ok guard (and block_on_alerts). Says what it skips first.")
  boolean force;

  @Spec CommandSpec spec;

  RestartCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    Shutdown shutdown = Runtime.shutdownOnSignals(); // first: see RunCommand
    Config config = options.load(context);
    Inventory inventory = Runtime.checked(context, config);
    Server target =
        inventory
            .server(server)
            .orElseThrow(
                () ->
                    new BadInputException(
                        "no server \""
                            + server
                            + "\" in group "
                            + inventory.group()
                            + " of "
                            + inventory.source()
                            + "; servers: "
                            + String.join(
                                ", ", inventory.servers().stream().map(Server::name).toList())));
    PrintWriter out = spec.commandLine().getOut();
    if (force) {
      out.println(
          "--force: skipping the guard; "
              + target.name()
              + " is restarted even if fewer than min_ok="
              + RotationConfigs.of(config, inventory)
                  .get(inventory.rotationOf(target.name()).orElseThrow().name())
                  .get(Keys.MIN_OK)
              + " other servers are healthy"
              + (config.get(Keys.BLOCK_ON_ALERTS).isPresent()
                  ? " and whatever alerts are firing"
                  : ""));
      out.flush();
    }
    try (StateLock lock = StateLock.acquire(config.get(Keys.STATE_DIR));
        Reporting reporting = Reporting.alertsOnly(config, Clock.systemUTC())) {
      String rotation =
          inventory.rotationOf(target.name()).map(Rotation::name).orElse(inventory.group());
      RestartListener listener =
          RestartListener.all(
              new LoggingListener(),
              new ProgressPrinter(out, Clock.systemUTC()),
              reporting.listener(rotation));
      Daemon daemon =
          Runtime.rotations(context, config, inventory, shutdown, r -> listener, true)
              .daemons()
              .get(rotation);
      Optional<RestartResult> outcome =
          daemon.slot(inventory.rotation(rotation).orElseThrow(), target, force);
      if (outcome.isEmpty()) {
        return ExitCodes.HELD;
      }
      return switch (outcome.get().status()) {
        case SUCCESS -> ExitCodes.OK;
        case FAILED, STUCK -> ExitCodes.RESTART_FAILED;
        case UNREACHABLE -> ExitCodes.UNREACHABLE;
        case INTERRUPTED -> ExitCodes.INTERRUPTED;
      };
    }
  }
}
