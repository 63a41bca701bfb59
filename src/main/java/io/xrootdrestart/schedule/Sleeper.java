package io.xrootdrestart.schedule;

import java.time.Instant;

/**
 * Waits until a time; false when shutdown ended the wait early. Tests hand in one that moves a fake
 * clock.
 */
@FunctionalInterface
public interface Sleeper {
  boolean sleepUntil(Instant t);
}
