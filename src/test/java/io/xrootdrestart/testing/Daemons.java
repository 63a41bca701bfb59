package io.xrootdrestart.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Daemon processes started with one config file, all stopped by {@link #stopAll()} after each test.
 */
public final class Daemons {
  private final Path outDir;
  private final Path config;
  private final List<Daemon> started = new ArrayList<>();

  public Daemons(Path outDir, Path config) {
    this.outDir = outDir;
    this.config = config;
  }

  /** Starts {@code xrootdrestart ARGS --config CONFIG} in a child JVM. */
  public Daemon start(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config", config.toString()));
    Daemon d = Daemon.start(outDir, all.toArray(String[]::new));
    started.add(d);
    return d;
  }

  /** Kills what still runs and waits for it. */
  public void stopAll() throws InterruptedException {
    started.forEach(Daemon::stop);
    for (Daemon d : started) {
      d.exitCode(10);
    }
    started.clear();
  }
}
