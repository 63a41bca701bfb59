package io.xrootdrestart.restart;

import java.time.Duration;

/** Waits in Java (the daemon owns the timing); returns false when shutdown cut the wait short. */
@FunctionalInterface
public interface Waiter {
  boolean await(Duration duration);
}
