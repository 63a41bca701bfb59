package io.xrootdrestart.alerts;

import io.xrootdrestart.schedule.Sleeper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox to Alertmanager on its own thread, so a slow or absent Alertmanager never
 * delays a restart. Each round posts every waiting delivery at once, in order; on failure it waits
 * (1 s, doubling up to {@code maxBackoff}) and tries again with whatever is waiting then.
 */
public final class AlertSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertSender.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final AlertBook book;
  private final AlertmanagerClient client;
  private final Duration maxBackoff;
  private final Clock clock;
  private final Sleeper sleeper;
  private final AtomicLong failures = new AtomicLong();
  private final Object sleep = new Object();
  private final Thread thread;
  private volatile boolean stopping;
  private Duration backoff = FIRST_BACKOFF;
  private long failedInARow;

  public AlertSender(AlertBook book, AlertmanagerClient client, Duration maxBackoff, Clock clock) {
    this(book, client, maxBackoff, clock, null);
  }

  /**
   * @param sleeper waits out a backoff (tests hand in one that moves a fake clock); null: a real
   *     wait that close ends
   */
  AlertSender(
      AlertBook book,
      AlertmanagerClient client,
      Duration maxBackoff,
      Clock clock,
      Sleeper sleeper) {
    this.book = book;
    this.client = client;
    this.maxBackoff = maxBackoff;
    this.clock = clock;
    this.sleeper = sleeper != null ? sleeper : this::waitUntil;
    this.thread = new Thread(this::loop, "alert-sender");
    this.thread.setDaemon(true);
  }

  public AlertSender start() {
    thread.start();
    return this;
  }

  /** Failed posts since start, for {@code xrootdrestart_alert_send_failures_total}. */
  public long failures() {
    return failures.get();
  }

  private void loop() {
    while (!stopping) {
      try {
        round(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        // stopping is checked by the loop
      }
    }
  }

  /**
   * One round: waits up to {@code forWork} for deliveries, posts all that wait in one request, and
   * after a failure waits the backoff (1 s, doubling up to {@code maxBackoff}). False when nothing
   * was waiting.
   */
  boolean round(Duration forWork) throws InterruptedException {
    List<Delivery> batch = book.awaitPending(forWork);
    if (batch.isEmpty()) {
      return false;
    }
    try {
      client.post(batch);
      book.delivered(batch);
      if (failedInARow > 0) {
        LOG.info("Alertmanager accepts alerts again ({} failed attempt(s) before)", failedInARow);
      }
      LOG.debug("delivered {} alert(s) to {}", batch.size(), client.url());
      failedInARow = 0;
      backoff = FIRST_BACKOFF;
    } catch (IOException | RuntimeException e) {
      failures.incrementAndGet();
      failedInARow++;
      LOG.warn(
          "cannot deliver {} alert(s) to Alertmanager (attempt {}, next in {} s; they wait in the"
              + " outbox): {}",
          batch.size(),
          failedInARow,
          backoff.toSeconds(),
          e.getMessage());
      sleeper.sleepUntil(clock.instant().plus(backoff));
      backoff =
          backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
    }
    return true;
  }

  /** The real backoff: waits until {@code t}, or until close. */
  private boolean waitUntil(Instant t) {
    synchronized (sleep) {
      try {
        long left = Duration.between(clock.instant(), t).toMillis();
        if (!stopping && left > 0) {
          sleep.wait(left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Thread.interrupted(); // the loop checks stopping
    return !stopping;
  }

  /**
   * Stops, after trying for up to {@code grace} to deliver what waits; the rest stays in the
   * outbox.
   */
  public void close(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (book.pending() > 0 && System.nanoTime() < deadline && thread.isAlive()) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    stopping = true;
    synchronized (sleep) {
      sleep.notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (book.pending() > 0) {
      LOG.warn(
          "{} alert(s) not delivered yet; they stay in the outbox for the next start",
          book.pending());
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(2));
  }
}
