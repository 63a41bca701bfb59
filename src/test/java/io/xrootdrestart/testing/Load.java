package io.xrootdrestart.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The clients' witness ({@code testing/lab/load}): K real xrdcp readers through the lab's
 * redirector, plus a probe per data server, each read a JSON line in {@code out}. Judges a rotation
 * by what the clients saw, never by what the daemon says it did.
 */
public final class Load implements AutoCloseable {
  public static final Path SCRIPT = Path.of("testing/lab/load").toAbsolutePath();

  private final Path out;
  private final Process process;

  private Load(Path out, Process process) {
    this.out = out;
    this.process = process;
  }

  /**
   * Starts {@code readers} readers on the lab's layout, once every server serves (at most 60 s).
   */
  public static Load start(Lab lab, int readers, Path out) {
    try {
      Process p =
          new ProcessBuilder(
                  SCRIPT.toString(),
                  "run",
                  "--layout",
                  lab.layout().toString(),
                  "--readers",
                  Integer.toString(readers),
                  "--out",
                  out.toString(),
                  "--seed",
                  "1",
                  "--ready-timeout",
                  "60")
              .redirectErrorStream(true)
              .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile())
              .start();
      p.getOutputStream().close();
      return new Load(out, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + SCRIPT, e);
    }
  }

  /** Stops the readers (SIGTERM; reads still in flight are recorded as stopped, not failed). */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("the load did not stop within 20 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code load summary OUT --json}: reads, failed, interrupted, recovered, stalled,
   * longest_stall_s, blackout_s...
   */
  public JsonNode summary() {
    return new Summary(out).json();
  }

  /** The summary of a load's record file. */
  public record Summary(Path file) {
    public JsonNode json() {
      Lab.Result r = Lab.run(Map.of(), SCRIPT.toString(), "summary", file.toString(), "--json");
      if (r.code() != 0) {
        throw new IllegalStateException("load summary failed:\n" + r.out());
      }
      try {
        return new ObjectMapper().readTree(r.out());
      } catch (IOException e) {
        throw new IllegalStateException("load summary printed no JSON:\n" + r.out(), e);
      }
    }
  }

  public Path out() {
    return out;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop();
    }
  }
}
