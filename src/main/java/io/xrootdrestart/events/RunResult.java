package io.xrootdrestart.events;

import io.xrootdrestart.playbook.Phase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code ansible-playbook} run: a result per targeted host, the process's exit code (0 all ok,
 * 2 a host failed, 4 a host unreachable; -1 when it was killed), how long it took, and where its
 * playbook and events are kept.
 */
public record RunResult(
    Phase phase,
    Map<String, HostResult> hosts,
    int exitCode,
    Duration duration,
    boolean killed,
    Optional<Path> runDir) {
  public RunResult {
    Objects.requireNonNull(phase, "phase");
    hosts = Map.copyOf(hosts);
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(runDir, "runDir");
  }

  public HostResult host(String name) {
    HostResult r = hosts.get(name);
    if (r == null) {
      throw new IllegalArgumentException(
          "no result for " + name + " in this " + phase.id() + " run");
    }
    return r;
  }

  public boolean allOk() {
    return hosts.values().stream().allMatch(HostResult::ok);
  }

  public List<HostResult> failures() {
    return hosts.values().stream().filter(h -> !h.ok()).toList();
  }
}
