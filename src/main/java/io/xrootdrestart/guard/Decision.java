package io.xrootdrestart.guard;

import java.util.Objects;

/** What the guard says about one restart. */
public sealed interface Decision {
  /** The restart may go ahead. */
  record Proceed(int healthyOthers, int minOk) implements Decision {}

  /**
   * The restart must not start. {@code insufficient}: too few other servers are healthy (the
   * insufficient-servers alert); otherwise a blocking alert fires. The reason is for logs and
   * alerts.
   */
  record Hold(boolean insufficient, String reason) implements Decision {
    public Hold {
      Objects.requireNonNull(reason, "reason");
    }
  }

  default boolean proceeds() {
    return this instanceof Proceed;
  }
}
