package io.xrootdrestart.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per state directory: an exclusive lock on {@code state_dir/lock}, which holds the
 * owner's process id. The kernel releases it when the process dies, however it dies.
 */
public final class StateLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Like {@link #acquire(Path)}, but a state_dir that cannot be written (read-only, full) is tried
   * again every 5 s until it can, instead of ending the daemon (a service that exits 2 is not
   * started again); null when {@code stop} turns true first. Another daemon's lock still ends it.
   */
  public static StateLock acquireWaiting(Path stateDir, java.util.function.BooleanSupplier stop) {
    String logged = null;
    while (true) {
      try {
        return acquire(stateDir);
      } catch (StateException e) {
        if (!(e.getCause() instanceof IOException)) {
          throw e; // another daemon holds it
        }
        if (!e.getMessage().equals(logged)) {
          logged = e.getMessage();
          org.slf4j.LoggerFactory.getLogger(StateLock.class)
              .error("{}; trying again every 5 s (is state_dir read-only or full?)", logged);
        }
      }
      for (int i = 0; i < 50; i++) {
        if (stop.getAsBoolean()) {
          return null;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
    }
  }

  public static StateLock acquire(Path stateDir) {
    Path file = stateDir.resolve("lock");
    try {
      Files.createDirectories(stateDir);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock == null) {
        String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
        ch.close();
        throw new StateException(
            "another xrootdrestart"
                + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                + " is using "
                + stateDir
                + "; two daemons must not share a state_dir");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
          0);
      ch.force(true);
      return new StateLock(ch, lock);
    } catch (IOException e) {
      throw new StateException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // released by the kernel at exit anyway
    }
  }
}
