package io.xrootdrestart.silence;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/** Where silences are made: Alertmanager's v2 API ({@link AlertmanagerSilences}). */
public interface Silences {
  /**
   * Creates a silence of the alerts {@code matchers} select, from {@code startsAt} to {@code
   * endsAt}, or (with {@code id}) updates that one; returns its id (Alertmanager may give a new
   * one).
   *
   * @param id the silence to update, or null to create one
   */
  String put(String id, List<Matcher> matchers, String node, Instant startsAt, Instant endsAt)
      throws IOException;

  /** Expires the silence; one that is gone or already expired counts as expired. */
  void expire(String id) throws IOException;

  /** The silences this daemon's cluster made that are still active or pending. */
  List<String> leftovers() throws IOException;
}
