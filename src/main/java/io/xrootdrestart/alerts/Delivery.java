package io.xrootdrestart.alerts;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert waiting in the outbox: firing, or resolved at {@code resolvedAt}. {@code seq} orders the
 * outbox; a newer delivery of the same alert replaces an older one that was not sent yet.
 */
public record Delivery(long seq, Alert alert, Optional<Instant> resolvedAt) {
  public Delivery {
    Objects.requireNonNull(alert, "alert");
    Objects.requireNonNull(resolvedAt, "resolvedAt");
  }

  public boolean resolved() {
    return resolvedAt.isPresent();
  }
}
