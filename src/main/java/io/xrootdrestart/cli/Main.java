package io.xrootdrestart.cli;

import io.xrootdrestart.ExitCodes;
import io.xrootdrestart.XrootdrestartException;
import io.xrootdrestart.ansible.AnsibleInventory;
import io.xrootdrestart.config.Platform;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "xrootdrestart",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Restarts cmsd and xrootd on each XRootD server in turn, on a schedule, never taking"
          + " the site below min_ok healthy servers. Every remote action runs through Ansible."
    },
    subcommands = {
      RunCommand.class,
      PlanCommand.class,
      StatusCommand.class,
      RestartCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      ExcludeCommand.class,
      IncludeCommand.class,
      CheckCommand.class,
      MigrateConfigCommand.class,
      SettingsCommand.class,
      ConfigTemplateCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:ok",
      "1:internal error (a bug; see the log)",
      "2:bad input: configuration, inventory or command line; nothing was done",
      "3-6:restart only: failed, unreachable, held by the guard, interrupted (see restart --help)"
    })
public final class Main implements Runnable {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(new Context(Platform.current(), new AnsibleInventory()), args));
  }

  /** Runs one command line; returns the exit code. */
  public static int run(Context context, String... args) {
    return commandLine(context).execute(args);
  }

  public static CommandLine commandLine(Context context) {
    CommandLine cl = new CommandLine(new Main(), new Factory(context));
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getMixins().containsKey("options")) {
        ConfigOptions.addKeyOptions(sub.getCommandSpec());
      }
    }
    cl.setExecutionExceptionHandler(Main::handle);
    cl.setParameterExceptionHandler(Main::usageError);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }

  private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof XrootdrestartException x) {
      PrintWriter err = cl.getErr();
      x.getMessage().lines().forEach(line -> err.println("error: " + line));
      err.flush();
      return x.exitCode();
    }
    if (e instanceof CommandLine.ParameterException) {
      throw e;
    }
    cl.getErr().println("internal error: " + e);
    e.printStackTrace(cl.getErr());
    cl.getErr().flush();
    return ExitCodes.INTERNAL;
  }

  /** Builds commands, handing the {@link Context} to those that take it. */
  private record Factory(Context context) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        Constructor<K> c = type.getDeclaredConstructor(Context.class);
        c.setAccessible(true);
        return c.newInstance(context);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }
}
