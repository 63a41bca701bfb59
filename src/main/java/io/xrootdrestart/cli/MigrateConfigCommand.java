package io.xrootdrestart.cli;

import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.config.Migration;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate-config",
    mixinStandardHelpOptions = true,
    description = {
      "Convert the Python XRootDRestart tool's INI config into xrootdrestart.yml plus an"
          + " Ansible inventory hosts.yml holding its servers (group xrootd_servers), in DIR."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "2:the old file has errors, or a file exists (use --force)"})
final class MigrateConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "OLD.conf", description = "The old INI file.")
  Path oldConfig;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for the new files.")
  Path out;

  @Option(names = "--force", description = "Replace existing files in DIR.")
  boolean force;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Migration migration = Migration.of(oldConfig);
    PrintWriter err = spec.commandLine().getErr();
    migration.warnings().forEach(w -> err.println("warning: " + w));
    List<Path> written = migration.write(out, force);
    migration.verify(written); // what the daemon would refuse: exit 2, at the old file's line
    PrintWriter stdout = spec.commandLine().getOut();
    written.forEach(p -> stdout.println("wrote " + p));
    stdout.println("Review them, then: xrootdrestart check --config " + written.get(0));
    stdout.flush();
    err.flush();
    return ExitCodes.OK;
  }
}
