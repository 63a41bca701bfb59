package io.xrootdrestart.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xrootdrestart.inventory.Server;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One description of the restart: the sudo rule allows exactly the commands the playbooks run. */
class RestartSequenceTest {
  private static final Server S =
      new Server("lab1", "lab1.example.org", 22, Optional.empty(), "cmsd@a", "xrootd@a");

  @Test
  void theCommandsAreExactlyThoseThePlaybooksRun() {
    Phases phases = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10));
    Set<String> run = new LinkedHashSet<>();
    List<PhasePlaybook> all =
        new ArrayList<>(
            List.of(
                phases.drain(S),
                phases.cycle(S),
                phases.restore(S),
                phases.kill(S, "cmsd@a"),
                phases.kill(S, "xrootd@a"),
                phases.reboot(S)));
    for (PhasePlaybook p : all) {
      for (Task t : p.play().tasks()) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("sudo -n /usr/bin/systemctl [^;)\n]*").matcher(t.cmd());
        while (m.find()) {
          run.add(m.group());
        }
      }
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (RemoteCommand c : RestartSequence.commands(true)) {
      for (String unit : c.perUnit() ? List.of("cmsd@a", "xrootd@a") : List.of("-")) {
        allowed.add(c.shell(unit));
      }
    }
    assertEquals(new java.util.TreeSet<>(allowed), new java.util.TreeSet<>(run));
  }

  @Test
  void rebootIsAllowedOnlyWithEscalateReboot() {
    assertEquals(
        List.of(
            RemoteCommand.START, RemoteCommand.STOP, RemoteCommand.IS_ACTIVE, RemoteCommand.KILL),
        RestartSequence.commands(false));
    assertEquals(RemoteCommand.REBOOT, RestartSequence.commands(true).get(4));
    assertEquals(
        List.of("/usr/bin/systemctl", "kill", "--signal=SIGKILL", "cmsd@a"),
        RemoteCommand.KILL.argv("cmsd@a"));
  }
}
