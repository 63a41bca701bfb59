package io.xrootdrestart.remedy;

import java.util.Set;

/**
 * A site's own condition for restarting servers out of turn ({@code restart_when}): asked at each
 * slot, it names the servers it finds due.
 */
public interface RestartWhen {
  /**
   * The names the condition gives now, each as its series labels it (a {@code :port} already cut
   * off); the caller matches them to servers.
   *
   * @throws QueryFailedException when the condition could not be asked: nothing is due then
   */
  Set<String> ask() throws QueryFailedException;

  /** No condition (restart_when unset). */
  RestartWhen NONE = Set::of;

  /** Why a query gave no answer. */
  final class QueryFailedException extends Exception {
    public QueryFailedException(String message) {
      super(message);
    }
  }
}
