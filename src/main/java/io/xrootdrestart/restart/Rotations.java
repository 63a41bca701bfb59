package io.xrootdrestart.restart;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The rotations of a fleet, each a {@link Daemon} of its own, run at the same time on threads of
 * their own: a slow or held rotation never delays another. They share the runner, the alerts and
 * {@code max_parallel}'s places; each has its own schedule, guard and state file. A rotation that
 * stops on an error stops the others cleanly (each restores a restart it has under way), and the
 * error is the run's.
 */
public final class Rotations {
  private static final Logger LOG = LoggerFactory.getLogger(Rotations.class);

  private final Map<String, Daemon> daemons;
  private final Shutdown shutdown;

  /**
   * @param daemons by rotation name, in inventory order
   */
  public Rotations(Map<String, Daemon> daemons, Shutdown shutdown) {
    if (daemons.isEmpty()) {
      throw new IllegalArgumentException("no rotation");
    }
    this.daemons = new LinkedHashMap<>(daemons);
    this.shutdown = shutdown;
  }

  public Map<String, Daemon> daemons() {
    return daemons;
  }

  /**
   * Runs every rotation until shutdown, or until each has done {@code rotations} full rotations of
   * its own servers; returns when all have stopped.
   */
  public void run(OptionalInt rotations) {
    if (daemons.size() == 1) {
      daemons.values().iterator().next().run(rotations);
      return;
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    daemons.forEach(
        (name, daemon) -> {
          Thread t =
              new Thread(
                  () -> {
                    MDC.put("rotation", " [" + name + "]");
                    try {
                      daemon.run(rotations);
                    } catch (RuntimeException | Error e) {
                      if (failure.compareAndSet(null, e)) {
                        LOG.error(
                            "rotation {} stopped ({}); stopping the others", name, e.getMessage());
                      }
                      shutdown.request();
                    }
                  },
                  "rotation-" + name);
          threads.add(t);
          t.start();
        });
    boolean interrupted = false;
    for (Thread t : threads) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
          shutdown.request();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable e = failure.get();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
  }
}
