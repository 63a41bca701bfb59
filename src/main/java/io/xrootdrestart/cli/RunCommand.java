package io.xrootdrestart.cli;

import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.restart.LoggingListener;
import io.xrootdrestart.restart.RestartListener;
import io.xrootdrestart.restart.Rotations;
import io.xrootdrestart.restart.Shutdown;
import io.xrootdrestart.state.StateLock;
import java.time.Clock;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the restart daemon: every server of the inventory group once per cmsd_period, one at a"
          + " time per rotation (each child group of the inventory group is one, run at the same"
          + " time as the others), only while at least min_ok other servers of its rotation are"
          + " healthy. SIGTERM or SIGINT stop it"
          + " cleanly: a restart under way is cut short and the server restored before it exits."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped by a signal or after --rotations",
      "2:bad configuration or inventory, another"
          + " daemon uses the same state_dir, or metrics_port is taken"
    })
final class RunCommand implements Callable<Integer> {
  private final Context context;

  @Mixin ConfigOptions options;

  @Option(
      names = "--rotations",
      paramLabel = "N",
      description =
          "Stop after N full rotations (every server restarted N times; with several rotations,"
              + " when each has done N).")
  Integer rotations;

  @Option(names = "--progress", description = "Print each restart step by step on standard output.")
  boolean progress;

  @Spec CommandSpec spec;

  RunCommand(Context context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    // First: a SIGTERM in the seconds the start takes stops it cleanly too (exit 0), not the JVM.
    Shutdown shutdown = Runtime.shutdownOnSignals();
    Config config = options.load(context);
    Inventory inventory =
        Runtime.checked(context, config); // bad inventory or rotation: exit 2 before anything else
    StateLock waited = StateLock.acquireWaiting(config.get(Keys.STATE_DIR), shutdown::requested);
    if (waited == null) {
      return ExitCodes.OK; // stopped by a signal while state_dir could not be written
    }
    try (StateLock lock = waited;
        Reporting reporting = Reporting.forDaemon(config, Clock.systemUTC())) {
      ProgressPrinter printer = new ProgressPrinter(spec.commandLine().getOut(), Clock.systemUTC());
      Rotations all =
          Runtime.rotations(
              context,
              config,
              inventory,
              shutdown,
              rotation ->
                  progress
                      ? RestartListener.all(
                          new LoggingListener(), printer, reporting.listener(rotation))
                      : RestartListener.all(new LoggingListener(), reporting.listener(rotation)),
              true);
      reporting.watch(all);
      all.run(rotations == null ? OptionalInt.empty() : OptionalInt.of(rotations));
    }
    return ExitCodes.OK;
  }
}
