package io.xrootdrestart.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The steps of one phase as a single remote shell script: one SSH command per phase instead of one
 * Ansible task per step, which is what a restart's time and CPU mostly went into (each task costs a
 * forked Ansible worker, about 0.2 s of CPU and 0.2 s of wall time, beyond its command).
 *
 * <p>Each step is one line, in {@link RestartSequence}'s order, and every remote command in it is
 * one the sudo rule allows, written out in full. Each call of {@code systemctl} is bounded on the
 * server by {@code timeout(1)}; a wait polls every second for at most {@code service_timeout}. The
 * script stops at the first step that fails, and its exit code names that step: {@code 10 + N} when
 * step N failed, {@code 40 + N} when step N timed out ({@link #failure}). The restart logic thus
 * reacts to the failed step exactly as when each step was a task of its own.
 *
 * @param steps each step with its name ("Stop cmsd@cluster"), as a failure reports it
 * @param timeoutSeconds service_timeout: each call's bound, and each wait's
 * @param verifySeconds verify_timeout: how long {@link Step.Kind#WAIT_SERVING} polls
 * @param xrootdPort the port {@link Step.Kind#WAIT_SERVING} asks xrootd on
 */
public record StepScript(List<Named> steps, int timeoutSeconds, int verifySeconds, int xrootdPort) {
  /** Exit code base of a step that failed: 10 + N for step N (1-based). */
  static final int FAILED = 10;

  /** Exit code base of a step that timed out: 40 + N for step N. */
  static final int TIMED_OUT = 40;

  /** One step and the name a failure reports. */
  public record Named(String name, Step step) {
    public Named {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(step, "step");
    }
  }

  /** A failed step, read back from the script's exit code. */
  public record Failure(Named step, boolean timedOut) {}

  public StepScript {
    steps = List.copyOf(steps);
    if (steps.isEmpty() || steps.size() >= TIMED_OUT - FAILED) {
      throw new IllegalArgumentException("a script has 1 to 29 steps");
    }
    if (timeoutSeconds < 1 || verifySeconds < 1) {
      throw new IllegalArgumentException("timeouts must be at least 1 s");
    }
  }

  public StepScript(List<Named> steps, int timeoutSeconds) {
    this(steps, timeoutSeconds, timeoutSeconds, 1094);
  }

  /** The step that failed, if {@code rc} is one this script exits with on a failed step. */
  public Optional<Failure> failure(int rc) {
    int n = steps.size();
    if (rc > FAILED && rc <= FAILED + n) {
      return Optional.of(new Failure(steps.get(rc - FAILED - 1), false));
    }
    if (rc > TIMED_OUT && rc <= TIMED_OUT + n) {
      return Optional.of(new Failure(steps.get(rc - TIMED_OUT - 1), true));
    }
    return Optional.empty();
  }

  /** The step called {@code name}, if it is one of this script's. */
  public Optional<Step> step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).map(Named::step).findFirst();
  }

  /**
   * The script. Two helpers, then a line per step:
   *
   * <ul>
   *   <li>{@code run N CMD...}: runs CMD within the timeout; on failure exits with 10+N, or 40+N if
   *       the timeout ended it;
   *   <li>{@code until_state N 'STATE...' CMD...}: runs CMD (an {@code is-active}) every second
   *       until it prints one of the states, at most the timeout; exits with 10+N if none came.
   * </ul>
   *
   * A line per step follows. Steps that start a unit unless it is active read its state first
   * ({@link Step.Kind#READ_STATE}) into a shell variable named after the unit's role.
   */
  public String shell() {
    int t = timeoutSeconds;
    List<String> lines = new ArrayList<>();
    lines.add(
        "# One line per step; a failed step N exits with "
            + FAILED
            + "+N, one that timed out with "
            + TIMED_OUT
            + "+N.");
    lines.add("run() {");
    lines.add("  n=$1; shift");
    lines.add("  timeout -k 5 " + t + " \"$@\"; r=$?");
    lines.add("  [ \"$r\" -eq 0 ] && return 0");
    lines.add("  case $r in 124|137) exit $((" + TIMED_OUT + " + n));; esac");
    lines.add("  exit $((" + FAILED + " + n))");
    lines.add("}");
    lines.add("until_state() {");
    lines.add("  n=$1; want=$2; shift 2; i=0");
    lines.add("  while :; do");
    lines.add("    s=$(timeout -k 5 " + t + " \"$@\")");
    lines.add("    case \" $want \" in *\" $s \"*) echo \"${*##* } is $s\"; return 0;; esac");
    lines.add("    i=$((i + 1))");
    lines.add(
        "    if [ \"$i\" -ge "
            + t
            + " ]; then echo \"still ${s:-unknown} after "
            + t
            + " s\" >&2; exit $(("
            + FAILED
            + " + n)); fi");
    lines.add("    sleep 1");
    lines.add("  done");
    lines.add("}");
    if (steps.stream().anyMatch(s -> s.step().kind() == Step.Kind.WAIT_SERVING)) {
      lines.add("until_serving() {");
      lines.add("  n=$1; i=0");
      lines.add("  " + Phases.XROOTD_ENV);
      lines.add("  while :; do");
      lines.add(
          "    a=$(" + Phases.XROOTD_QUERY.replace("PORT", Integer.toString(xrootdPort)) + ")");
      lines.add("    case $a in */a) echo \"xrootd is in the cluster\"; return 0;; esac");
      lines.add("    i=$((i + 1))");
      lines.add(
          "    if [ \"$i\" -ge "
              + verifySeconds
              + " ]; then echo \"not serving after "
              + verifySeconds
              + " s: ${a:-no answer}\" >&2; exit $(("
              + FAILED
              + " + n)); fi");
      lines.add("    sleep 1");
      lines.add("  done");
      lines.add("}");
    }
    for (int i = 0; i < steps.size(); i++) {
      lines.add(line(i + 1, steps.get(i).step()));
    }
    return String.join("\n", lines) + "\n";
  }

  private String line(int n, Step step) {
    String cmd = step.kind().command() == null ? "" : step.kind().command().shell(step.unit());
    String var = variable(step.unit());
    return switch (step.kind()) {
      case STOP, START, KILL, REBOOT -> "run " + n + " " + cmd;
      case WAIT_STOPPED -> "until_state " + n + " 'inactive failed' " + cmd;
      case WAIT_ACTIVE -> "until_state " + n + " active " + cmd;
      case READ_STATE ->
          var
              + "=$(timeout -k 5 "
              + timeoutSeconds
              + " "
              + cmd
              + "); echo \""
              + step.unit()
              + " was ${"
              + var
              + ":-unknown}\"";
      case START_UNLESS_ACTIVE -> "[ \"$" + var + "\" = active ] || run " + n + " " + cmd;
      case WAIT_SERVING -> "until_serving " + n;
    };
  }

  /**
   * A shell variable for the state read of {@code unit}: "state_cmsd_cluster" for "cmsd@cluster".
   */
  static String variable(String unit) {
    return "state_" + unit.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
