package io.xrootdrestart.ansible;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessInitException;
import org.zeroturnaround.exec.ProcessResult;

/**
 * Runs short Ansible helper commands (ansible-inventory, --version) to completion through zt-exec.
 */
public final class Commands {
  private static final int ENOENT = 2;

  private Commands() {}

  /**
   * Runs {@code command} with extra environment variables, returning its output; the process is
   * killed when {@code timeout} passes.
   */
  public static CommandResult run(
      List<String> command, Map<String, String> environment, Duration timeout)
      throws TimeoutException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long start = System.nanoTime();
    try {
      ProcessResult result =
          new ProcessExecutor(command)
              .environment(environment)
              .readOutput(true)
              .redirectError(err)
              .redirectInput(new java.io.ByteArrayInputStream(new byte[0]))
              .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .destroyOnExit()
              .execute();
      return new CommandResult(
          result.getExitValue(),
          result.outputUTF8(),
          err.toString(StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start));
    } catch (IOException e) {
      if (e instanceof ProcessInitException init && init.getErrorCode() == ENOENT) {
        throw new ToolNotFoundException(command.get(0), e);
      }
      throw new java.io.UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }
}
