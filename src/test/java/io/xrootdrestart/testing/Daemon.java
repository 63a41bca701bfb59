package io.xrootdrestart.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real command line in a child JVM (on the test class path), for tests that signal or kill it.
 * Its standard output and error go to files that the test reads.
 */
public final class Daemon {
  private final Process process;
  private final Path out;
  private final Path err;

  private Daemon(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  public static Daemon start(Path dir, String... args) {
    try {
      Files.createDirectories(dir);
      Path out = Files.createTempFile(dir, "daemon", ".out");
      Path err = Files.createTempFile(dir, "daemon", ".err");
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  "io.xrootdrestart.cli.Main"));
      command.addAll(List.of(args));
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      return new Daemon(p, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Standard output and error so far. */
  public String output() {
    try {
      return Files.readString(out, StandardCharsets.UTF_8)
          + Files.readString(err, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the output contains {@code text}; fails the test after {@code seconds}. */
  public void await(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!output().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "no \"" + text + "\" within " + seconds + " s; output:\n" + output());
      }
      if (!process.isAlive() && !output().contains(text)) {
        throw new AssertionError(
            "the daemon exited ("
                + process.exitValue()
                + ") before \""
                + text
                + "\":\n"
                + output());
      }
      Thread.sleep(100);
    }
  }

  /** Exit code; fails the test after {@code seconds}. */
  public int exitCode(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the daemon did not exit within " + seconds + " s:\n" + output());
    }
    return process.exitValue();
  }

  public void sigterm() {
    process.destroy();
  }

  public void sigkill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public void stop() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
