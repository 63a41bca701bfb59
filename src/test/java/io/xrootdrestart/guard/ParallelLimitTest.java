package io.xrootdrestart.guard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ParallelLimitTest {
  @Test
  void aTakenPlaceMakesTheNextWaitUntilItIsFreeOrTheDaemonStops() throws Exception {
    ParallelLimit one = ParallelLimit.of(1);
    assertTrue(one.acquire(() -> false));
    assertFalse(one.free());
    AtomicBoolean stop = new AtomicBoolean();
    Thread stopper = new Thread(() -> stop.set(true));
    stopper.start();
    stopper.join();
    assertFalse(one.acquire(stop::get), "stopped while waiting: no place taken");
    one.release();
    assertTrue(one.free());
    assertTrue(one.acquire(() -> false));
  }

  @Test
  void noLimitNeverWaits() {
    ParallelLimit none = ParallelLimit.of(0);
    for (int i = 0; i < 100; i++) {
      assertTrue(none.acquire(() -> false));
    }
    assertTrue(none.free());
  }
}
