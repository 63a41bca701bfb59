package io.xrootdrestart.restart;

import io.xrootdrestart.schedule.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Shutdown as the daemon sees it: SIGTERM or SIGINT sets the flag and wakes every wait. Waits are
 * on the wall clock, in Java, and end early when shutdown is requested.
 */
public final class Shutdown implements Sleeper {
  private final Clock clock;
  private final Object monitor = new Object();
  private volatile boolean requested;

  public Shutdown(Clock clock) {
    this.clock = clock;
  }

  public void request() {
    requested = true;
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }

  public boolean requested() {
    return requested;
  }

  /** Waits until {@code t}; false if shutdown was requested first. */
  @Override
  public boolean sleepUntil(Instant t) {
    synchronized (monitor) {
      while (!requested) {
        long left = Duration.between(clock.instant(), t).toMillis();
        if (left <= 0) {
          return true;
        }
        try {
          monitor.wait(Math.min(left, 1000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }

  /** Waits for {@code d}; false if shutdown was requested first. */
  public boolean sleep(Duration d) {
    return sleepUntil(clock.instant().plus(d));
  }
}
