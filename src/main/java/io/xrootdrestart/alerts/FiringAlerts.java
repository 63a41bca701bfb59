package io.xrootdrestart.alerts;

import java.util.List;
import java.util.regex.Pattern;

/** Names of alerts firing right now whose name matches; xrootdrestart's own alerts never count. */
@FunctionalInterface
public interface FiringAlerts {
  List<String> matching(Pattern pattern);

  FiringAlerts NONE = p -> List.of();
}
