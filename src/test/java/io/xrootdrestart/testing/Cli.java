package io.xrootdrestart.testing;

import io.xrootdrestart.ansible.AnsibleInventory;
import io.xrootdrestart.cli.Context;
import io.xrootdrestart.cli.Main;
import io.xrootdrestart.config.Platform;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real command line in-process with a chosen home, working directory and environment. */
public final class Cli {
  private final Path dir;
  private final Map<String, String> env = new HashMap<>();

  /**
   * @param dir stands in for both the home and the working directory
   */
  public Cli(Path dir) {
    this.dir = dir;
  }

  public Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Platform platform() {
    return new Platform(false, dir, dir, env);
  }

  public Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine(new Context(platform(), new AnsibleInventory()));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }
}
