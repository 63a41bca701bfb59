package io.xrootdrestart.guard;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Prometheus alerts firing right now (an input to the guard with block_on_alerts): names whose name
 * matches; xrootdrestart's own alerts never count.
 */
@FunctionalInterface
public interface FiringAlerts {
  List<String> matching(Pattern pattern);

  FiringAlerts NONE = p -> List.of();
}
