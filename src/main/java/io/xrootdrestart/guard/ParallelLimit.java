package io.xrootdrestart.guard;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code max_parallel}: at most this many restarts under way at once across the rotations. A
 * rotation takes a place from just before its restart's run starts until the restart has ended.
 */
public final class ParallelLimit {
  /** No limit: every rotation restarts when its slot comes. */
  public static final ParallelLimit NONE = new ParallelLimit(null, 0);

  private final Semaphore places;
  private final int max;

  private ParallelLimit(Semaphore places, int max) {
    this.places = places;
    this.max = max;
  }

  /** {@code max} places; 0 is no limit. */
  public static ParallelLimit of(int max) {
    return max <= 0 ? NONE : new ParallelLimit(new Semaphore(max, true), max);
  }

  public int max() {
    return max;
  }

  /** Whether a place is free now (without taking it). */
  public boolean free() {
    return places == null || places.availablePermits() > 0;
  }

  /**
   * Takes a place, waiting for one first in arrival order; false (no place taken) if {@code stop}
   * turns true meanwhile.
   */
  public boolean acquire(BooleanSupplier stop) {
    if (places == null) {
      return true;
    }
    try {
      while (!stop.getAsBoolean()) {
        if (places.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  public void release() {
    if (places != null) {
      places.release();
    }
  }
}
