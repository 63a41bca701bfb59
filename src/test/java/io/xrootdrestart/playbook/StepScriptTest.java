package io.xrootdrestart.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.inventory.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The phase scripts run by {@code /bin/sh} against a fake {@code sudo} that keeps each unit's state
 * in a file and records every call: the steps run in order, each call is one the sudo rule allows,
 * and a failed or timed-out step ends the script with the exit code that names it. The lab tests
 * run the same scripts over SSH against the lab's systemctl.
 */
class StepScriptTest {
  static final Server LAB1 =
      new Server("lab1", "10.231.1.11", 22, Optional.empty(), "cmsd@cluster", "xrootd@cluster");

  /** service_timeout 2 s: a wait that never comes gives up after 2 polls. */
  final Phases phases = new Phases(Duration.ofSeconds(2), Duration.ofSeconds(1));

  @TempDir Path dir;

  /**
   * sudo -n /usr/bin/systemctl VERB [--signal=..] UNIT: states in dir/UNIT, faults in dir/FAULT.
   */
  static final String FAKE_SUDO =
      """
      #!/bin/sh
      d=$(dirname "$0")
      echo "$*" >> "$d/calls"
      shift 2
      verb=$1; shift
      [ "$1" = --signal=SIGKILL ] && shift
      u=$1
      [ -f "$d/hang-$verb" ] && exec sleep 30
      [ -f "$d/fail-$verb" ] && { echo "Job for $u failed" >&2; exit 1; }
      case $verb in
        stop|kill) [ -f "$d/stuck" ] || echo inactive > "$d/$u" ;;
        start) echo active > "$d/$u" ;;
        is-active) s=$(cat "$d/$u" 2>/dev/null || echo inactive); echo "$s"; [ "$s" = active ] ;;
      esac
      """;

  @BeforeEach
  void fakes() throws Exception {
    Path sudo = dir.resolve("sudo");
    Files.writeString(sudo, FAKE_SUDO.stripIndent());
    Files.setPosixFilePermissions(sudo, PosixFilePermissions.fromString("rwxr-xr-x"));
    state("cmsd@cluster", "active");
    state("xrootd@cluster", "active");
  }

  void state(String unit, String s) throws Exception {
    Files.writeString(dir.resolve(unit), s + "\n");
  }

  void fault(String name) throws Exception {
    Files.writeString(dir.resolve(name), "");
  }

  record Ran(int rc, List<String> calls, String stdout) {}

  Ran run(PhasePlaybook p) throws Exception {
    String script = p.play().tasks().get(0).cmd();
    Path out = dir.resolve("out");
    Process proc =
        new ProcessBuilder("/bin/sh", "-c", script)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .directory(dir.toFile())
            .start();
    proc.getOutputStream().close();
    assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "the script ended");
    Path calls = dir.resolve("calls");
    List<String> c =
        Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
    return new Ran(proc.exitValue(), c, Files.readString(out));
  }

  PhasePlaybook withFakeSudo(PhasePlaybook p) {
    Task t = p.play().tasks().get(0);
    String cmd = "PATH=" + dir + ":$PATH\n" + t.cmd();
    Task faked =
        new Task(
            t.name(),
            t.module(),
            cmd,
            t.script(),
            t.timeout(),
            t.changedWhen(),
            t.failedWhen(),
            t.when(),
            t.loop(),
            t.delegateTo(),
            t.ignoreUnreachable());
    return new PhasePlaybook(
        p.phase(),
        p.hosts(),
        new Play(p.play().name(), p.play().hosts(), p.play().vars(), List.of(faked)),
        p.budget());
  }

  static StepScript script(PhasePlaybook p) {
    return p.play().tasks().get(0).script();
  }

  @Test
  void aCycleRunsItsSixStepsInOrderAndEndsWithZero() throws Exception {
    Ran r = run(withFakeSudo(phases.cycle(LAB1)));
    assertEquals(0, r.rc(), r.stdout());
    assertEquals(
        List.of(
            "-n /usr/bin/systemctl stop xrootd@cluster",
            "-n /usr/bin/systemctl is-active xrootd@cluster",
            "-n /usr/bin/systemctl start xrootd@cluster",
            "-n /usr/bin/systemctl is-active xrootd@cluster",
            "-n /usr/bin/systemctl start cmsd@cluster",
            "-n /usr/bin/systemctl is-active cmsd@cluster"),
        r.calls());
    assertTrue(r.stdout().contains("cmsd@cluster is active"), r.stdout());
  }

  @Test
  void everyCallOfEveryPhaseIsOneTheSudoRuleAllows() throws Exception {
    List<String> allowed = new ArrayList<>();
    for (RemoteCommand c : RestartSequence.commands(true)) {
      for (String unit : List.of("cmsd@cluster", "xrootd@cluster")) {
        allowed.add(String.join(" ", c.argv(unit)));
      }
    }
    for (PhasePlaybook p :
        List.of(
            phases.drain(LAB1),
            phases.cycle(LAB1),
            phases.restore(LAB1),
            phases.kill(LAB1, "cmsd@cluster"),
            phases.kill(LAB1, "xrootd@cluster"),
            phases.reboot(LAB1))) {
      Files.deleteIfExists(dir.resolve("calls"));
      state("cmsd@cluster", "inactive");
      state("xrootd@cluster", "inactive");
      Ran r = run(withFakeSudo(p));
      assertEquals(0, r.rc(), p.label() + ": " + r.stdout());
      assertEquals(script(p).steps().size(), r.calls().size(), p.label() + ": " + r.calls());
      for (String call : r.calls()) {
        assertTrue(call.startsWith("-n "), call);
        assertTrue(allowed.contains(call.substring(3)), p.label() + " called " + call);
      }
    }
  }

  @Test
  void aStopThatFailsExitsWithItsStepAndRunsNothingAfterIt() throws Exception {
    fault("fail-stop");
    PhasePlaybook drain = phases.drain(LAB1);
    Ran r = run(withFakeSudo(drain));
    assertEquals(11, r.rc(), r.stdout());
    assertEquals(List.of("-n /usr/bin/systemctl stop cmsd@cluster"), r.calls());
    StepScript.Failure f = script(drain).failure(r.rc()).orElseThrow();
    assertEquals("Stop cmsd@cluster", f.step().name());
    assertEquals(false, f.timedOut());
    assertEquals(RestartSequence.OnFailure.KILL_ON_TIMEOUT, f.step().step().onFailure());
  }

  @Test
  void aStopThatHangsIsEndedByItsTimeoutAndReadsAsTimedOut() throws Exception {
    fault("hang-stop");
    PhasePlaybook drain = phases.drain(LAB1);
    long t0 = System.nanoTime();
    Ran r = run(withFakeSudo(drain));
    long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
    assertEquals(41, r.rc(), r.stdout());
    assertTrue(took < 10, "ended by timeout(1) after service_timeout, took " + took + " s");
    StepScript.Failure f = script(drain).failure(r.rc()).orElseThrow();
    assertEquals("Stop cmsd@cluster", f.step().name());
    assertTrue(f.timedOut());
  }

  @Test
  void aUnitThatStaysActiveFailsTheWaitAfterServiceTimeout() throws Exception {
    fault("stuck");
    PhasePlaybook drain = phases.drain(LAB1);
    Ran r = run(withFakeSudo(drain));
    assertEquals(12, r.rc(), r.stdout());
    assertTrue(r.stdout().contains("still active after 2 s"), r.stdout());
    assertEquals(3, r.calls().size(), "the stop, then 2 polls: " + r.calls());
    StepScript.Failure f = script(drain).failure(r.rc()).orElseThrow();
    assertEquals("Wait until cmsd@cluster is inactive", f.step().name());
    assertEquals(RestartSequence.OnFailure.KILL, f.step().step().onFailure());
  }

  @Test
  void aRestoreStartsOnlyWhatIsNotActive() throws Exception {
    state("cmsd@cluster", "inactive");
    Ran r = run(withFakeSudo(phases.restore(LAB1)));
    assertEquals(0, r.rc(), r.stdout());
    assertEquals(
        List.of(
            "-n /usr/bin/systemctl is-active xrootd@cluster",
            "-n /usr/bin/systemctl is-active xrootd@cluster",
            "-n /usr/bin/systemctl is-active cmsd@cluster",
            "-n /usr/bin/systemctl start cmsd@cluster",
            "-n /usr/bin/systemctl is-active cmsd@cluster"),
        r.calls());
    assertTrue(r.stdout().contains("xrootd@cluster was active"), r.stdout());
    assertTrue(r.stdout().contains("cmsd@cluster was inactive"), r.stdout());
  }

  /** A fake xrdfs: prints dir/cms (the reply to query config cms), or fails without one. */
  void fakeXrdfs(String reply) throws Exception {
    Path xrdfs = dir.resolve("xrdfs");
    Files.writeString(
        xrdfs,
        "#!/bin/sh\necho \"xrdfs $*\" >> \"$(dirname \"$0\")/calls\"\n"
            + (reply == null
                ? "echo '[FATAL] Connection error' >&2; exit 51\n"
                : "echo '" + reply + "'; echo\n")); // as xrdfs does: the reply, an empty line
    Files.setPosixFilePermissions(xrdfs, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static final Phases VERIFYING =
      new Phases(
          Duration.ofSeconds(2),
          Duration.ofSeconds(1),
          io.xrootdrestart.config.StartOrder.CMSD_FIRST,
          Optional.of(Duration.ofSeconds(2)),
          false);

  static final Server ON_2094 =
      new Server(
          "lab1", "10.231.1.11", 22, Optional.empty(), "cmsd@cluster", "xrootd@cluster", 2094);

  @Test
  void cmsdFirstThenXrootdThenTheServerServesAgain() throws Exception {
    fakeXrdfs("all.role server /a");
    Ran r = run(withFakeSudo(VERIFYING.cycle(ON_2094)));
    assertEquals(0, r.rc(), r.stdout());
    assertEquals(
        List.of(
            "-n /usr/bin/systemctl stop xrootd@cluster",
            "-n /usr/bin/systemctl is-active xrootd@cluster",
            "-n /usr/bin/systemctl start cmsd@cluster",
            "-n /usr/bin/systemctl is-active cmsd@cluster",
            "-n /usr/bin/systemctl start xrootd@cluster",
            "-n /usr/bin/systemctl is-active xrootd@cluster",
            "xrdfs localhost:2094 query config cms"),
        r.calls());
    assertTrue(r.stdout().contains("xrootd is in the cluster"), r.stdout());
  }

  @Test
  void aServerNotBackInTheClusterFailsTheLastStepAfterVerifyTimeout() throws Exception {
    fakeXrdfs("all.role server /d");
    PhasePlaybook cycle = VERIFYING.cycle(ON_2094);
    Ran r = run(withFakeSudo(cycle));
    assertEquals(17, r.rc(), r.stdout());
    assertTrue(r.stdout().contains("not serving after 2 s: all.role server /d"), r.stdout());
    StepScript.Failure f = script(cycle).failure(r.rc()).orElseThrow();
    assertEquals("Wait until lab1 serves again (xrootd in the cluster)", f.step().name());
    assertEquals(RestartSequence.OnFailure.NOT_SERVING, f.step().step().onFailure());

    fakeXrdfs(null);
    Files.deleteIfExists(dir.resolve("calls"));
    r = run(withFakeSudo(cycle));
    assertEquals(17, r.rc(), r.stdout());
    assertTrue(r.stdout().contains("not serving after 2 s: [FATAL] Connection error"), r.stdout());
  }

  /**
   * A fake xrdfs for {@code query stats a}: the Nth call prints the Nth of {@code opens} ("R W":
   * files open for reading and writing) as xrootd's statistics, the last one again after that.
   */
  void fakeStats(String... opens) throws Exception {
    Files.write(dir.resolve("opens"), List.of(opens));
    Path xrdfs = dir.resolve("xrdfs");
    Files.writeString(
        xrdfs,
        """
        #!/bin/sh
        d=$(dirname "$0"); echo "xrdfs $*" >> "$d/calls"
        n=$(grep -c stats "$d/calls"); set -- $(sed -n "${n}p" "$d/opens")
        [ -n "$1" ] || set -- $(tail -n 1 "$d/opens")
        printf '<statistics><stats id="link"><num>3</num></stats><stats id="ofs"><role>server</role>'
        printf '<opr>%s</opr><opw>%s</opw><opp>0</opp></stats></statistics>\n\n' "$1" "$2"
        """);
    Files.setPosixFilePermissions(xrdfs, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void theWaitUntilIdleEndsAtTheFirstAnswerWithNoFileOpen() throws Exception {
    fakeStats("2 0", "1 1", "0 0");
    PhasePlaybook idle = phases.idle(ON_2094, Duration.ofSeconds(30));
    assertEquals(false, idle.play().tasks().get(0).changedWhen(), "it only reads");
    Ran r = run(withFakeSudo(idle));
    assertEquals(0, r.rc(), r.stdout());
    assertEquals(3, r.calls().size(), r.calls().toString());
    assertEquals("xrdfs localhost:2094 query stats a", r.calls().get(0));
    assertTrue(r.stdout().matches("idle after [0-9]+ s\\n"), r.stdout());
  }

  @Test
  void aServerStillBusyAtCmsdWaitEndsTheWaitWithoutFailing() throws Exception {
    fakeStats("1 0");
    Ran r = run(withFakeSudo(phases.idle(ON_2094, Duration.ofSeconds(2))));
    assertEquals(0, r.rc(), "a busy server is no failure: the restart goes on");
    assertTrue(
        r.stdout().matches("busy after [2-9] s: 1 open for reading, 0 for writing\\n"), r.stdout());
  }

  @Test
  void statisticsThatCannotBeReadMakeItAFixedWait() throws Exception {
    fakeXrdfs(null);
    Ran r = run(withFakeSudo(phases.idle(ON_2094, Duration.ofSeconds(2))));
    assertEquals(0, r.rc(), r.stdout());
    assertTrue(
        r.stdout().matches("busy after [2-9] s: no statistics: \\[FATAL\\] Connection error\\n"),
        r.stdout());
    assertTrue(r.calls().size() >= 2, "asked again until cmsd_wait: " + r.calls());
  }

  @Test
  void exitCodesOutsideTheStepsNameNoStep() {
    StepScript s = script(phases.cycle(LAB1));
    assertEquals(Optional.empty(), s.failure(0));
    assertEquals(Optional.empty(), s.failure(1));
    assertEquals(Optional.empty(), s.failure(17), "a cycle has 6 steps");
    assertEquals(Optional.empty(), s.failure(255));
    assertEquals("Start cmsd@cluster", s.failure(15).orElseThrow().step().name());
    assertTrue(s.failure(46).orElseThrow().timedOut());
  }
}
