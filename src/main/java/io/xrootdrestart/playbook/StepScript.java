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
 * @param waitSeconds how long a wait on xrootd polls: verify_timeout for {@link
 *     Step.Kind#WAIT_SERVING}, cmsd_wait for {@link Step.Kind#WAIT_IDLE}
 * @param xrootdPort the port those waits ask xrootd on
 */
public record StepScript(List<Named> steps, int timeoutSeconds, int waitSeconds, int xrootdPort) {
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
    if (timeoutSeconds < 1 || waitSeconds < 1) {
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

  /** Whether a step changes the server (stops, starts, kills); not when it only reads and waits. */
  public boolean changes() {
    return steps.stream()
        .map(s -> s.step().kind().command())
        .anyMatch(c -> c != null && c != RemoteCommand.IS_ACTIVE);
  }

  private boolean uses(Step.Kind... kinds) {
    List<Step.Kind> wanted = List.of(kinds);
    return steps.stream().anyMatch(s -> wanted.contains(s.step().kind()));
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
    if (uses(
        Step.Kind.STOP,
        Step.Kind.START,
        Step.Kind.START_UNLESS_ACTIVE,
        Step.Kind.KILL,
        Step.Kind.REBOOT)) {
      lines.add("run() {");
      lines.add("  n=$1; shift");
      lines.add("  timeout -k 5 " + t + " \"$@\"; r=$?");
      lines.add("  [ \"$r\" -eq 0 ] && return 0");
      lines.add("  case $r in 124|137) exit $((" + TIMED_OUT + " + n));; esac");
      lines.add("  exit $((" + FAILED + " + n))");
      lines.add("}");
    }
    if (uses(Step.Kind.WAIT_STOPPED, Step.Kind.WAIT_ACTIVE)) {
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
    }
    if (uses(Step.Kind.WAIT_SERVING)) {
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
              + waitSeconds
              + " ]; then echo \"not serving after "
              + waitSeconds
              + " s: ${a:-no answer}\" >&2; exit $(("
              + FAILED
              + " + n)); fi");
      lines.add("    sleep 1");
      lines.add("  done");
      lines.add("}");
    }
    if (uses(Step.Kind.WAIT_IDLE)) {
      lines.addAll(untilIdle());
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
      case WAIT_IDLE -> "until_idle";
    };
  }

  /** What {@link #untilIdle} prints first when no file was open. */
  public static final String IDLE = "idle";

  /** What {@link #untilIdle} prints first when its bound passed with files open, or unknown. */
  public static final String BUSY = "busy";

  /**
   * {@code until_idle}: asks xrootd for its statistics every second and returns as soon as no file
   * is open for reading or writing ({@code <opr>} and {@code <opw>} of the {@code ofs} statistics
   * both 0; connections do not count, XrdCl keeps idle ones open), or when {@link #waitSeconds}
   * have passed. Its one line of output: "idle after N s", or "busy after N s: " with the counts,
   * or with xrdfs's last words when the statistics could not be read (the wait then runs to its
   * bound, as a fixed wait would).
   */
  private List<String> untilIdle() {
    String query =
        "timeout 5 xrdfs localhost:" + xrootdPort + " query stats a 2>&1 | grep . | tail -n 1";
    return List.of(
        "count() { echo \"$q\" | sed -n \"s:.*<$1>\\([0-9][0-9]*\\)</$1>.*:\\1:p\"; }",
        "ms() { echo $(($(date +%s%N) / 1000000)); }",
        "until_idle() {",
        "  " + Phases.XROOTD_ENV,
        "  start=$(ms); end=$((start + " + waitSeconds + "000))",
        "  while :; do",
        "    q=$(" + query + "); r=$(count opr); w=$(count opw); now=$(ms)",
        "    if [ -n \"$r\" ] && [ -n \"$w\" ] && [ $((r + w)) -eq 0 ]; then",
        "      echo \"" + IDLE + " after $(((now - start) / 1000)) s\"; return 0",
        "    fi",
        "    if [ \"$now\" -ge \"$end\" ]; then",
        "      if [ -n \"$r\" ]; then what=\"$r open for reading, ${w:-?} for writing\";"
            + " else what=\"no statistics: ${q:-no answer}\"; fi",
        "      echo \"" + BUSY + " after $(((now - start) / 1000)) s: $what\"; return 0",
        "    fi",
        "    sleep 1",
        "  done",
        "}");
  }

  /**
   * A shell variable for the state read of {@code unit}: "state_cmsd_cluster" for "cmsd@cluster".
   */
  static String variable(String unit) {
    return "state_" + unit.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
