package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Daemons;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * pre_restart_tasks and post_restart_tasks on the lab: the restart command (a real process) with
 * the site's task files, judged by what the hooks saw on the server (written on the controller by
 * the hooks themselves) and by the lab's action log.
 */
@LabTest
class HooksLabTest {
  @RegisterExtension static final Lab LAB = Lab.shared(3);

  @TempDir static Path dir;

  static Path config;
  static Daemons daemons;
  static Path seen;

  @BeforeAll
  static void provision() throws Exception {
    Path etc = dir.resolve("etc");
    LAB.provision(etc, Map.of("cmsd_period", "6s", "cmsd_wait", "1s", "service_timeout", "2s"));
    config = etc.resolve("xrootdrestart.yml");
    daemons = new Daemons(dir.resolve("out"), config);
    seen = dir.resolve("seen");
  }

  @BeforeEach
  void freshLab() throws Exception {
    LAB.reset();
    Files.createDirectories(seen);
    try (var old = Files.list(seen)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
  }

  @AfterEach
  void stopDaemons() throws Exception {
    daemons.stopAll();
  }

  /**
   * A hook that reads {@code unit}'s state on the server (a call the sudo rule allows) and writes
   * it, delegated to the controller, to {@code seen/NAME}.
   */
  private static Path witness(String name, String unit) throws Exception {
    Path f = dir.resolve(name + ".yml");
    Files.writeString(
        f,
        """
        - name: Read the state of %2$s
          ansible.builtin.raw: sudo -n /usr/bin/systemctl is-active %2$s
          register: xrootdrestart_test_state
          changed_when: false
          failed_when: false
        - name: Write what it saw on the controller
          ansible.builtin.copy:
            content: "{{ xrootdrestart_test_state.stdout | trim }}\\n"
            dest: "%3$s/%1$s-{{ inventory_hostname }}"
            mode: "0644"
          delegate_to: localhost
        """
            .formatted(name, unit, seen));
    return f;
  }

  private static Path failing(String name, String message) throws Exception {
    Path f = dir.resolve(name + ".yml");
    Files.writeString(
        f,
        """
        - name: Take the server out of the redirector
          ansible.builtin.fail:
            msg: %s
        """
            .formatted(message));
    return f;
  }

  private static String seen(String name) throws Exception {
    return Files.readString(seen.resolve(name)).strip();
  }

  @Test
  void thePreHookRunsBeforeCmsdStopsAndThePostHookAfterTheServerIsBack() throws Exception {
    Daemon d =
        daemons.start(
            "restart",
            "lab1",
            "--pre-restart-tasks",
            witness("pre", "cmsd@cluster").toString(),
            "--post-restart-tasks",
            witness("post", "xrootd@cluster").toString());
    assertEquals(0, d.exitCode(90), d.output());
    assertEquals("active", seen("pre-lab1"), "cmsd still ran when the pre-hook ran");
    assertEquals("active", seen("post-lab1"), "xrootd ran again when the post-hook ran");
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster"),
        LAB.actions("lab1"));
  }

  @Test
  void aFailingPreHookStopsNothingAndTheRestartSaysWhy() throws Exception {
    Daemon d =
        daemons.start(
            "restart",
            "lab1",
            "--pre-restart-tasks",
            failing("out", "the redirector refused").toString());
    assertEquals(3, d.exitCode(90), d.output());
    assertTrue(
        d.output().contains("pre_restart_tasks failed at 'Take the server out of the redirector'"),
        d.output());
    assertTrue(d.output().contains("the redirector refused"), d.output());
    assertTrue(d.output().contains("nothing on lab1 was stopped"), d.output());
    assertEquals(List.of(), LAB.actions("lab1"), "no unit was touched, not even by a restore");
    assertEquals("active", LAB.state("lab1", "cmsd@cluster"));
    assertEquals("active", LAB.state("lab1", "xrootd@cluster"));
  }

  @Test
  void aFailingPostHookLeavesTheServerUpAndTheRestartSaysSo() throws Exception {
    Daemon d =
        daemons.start(
            "restart",
            "lab1",
            "--post-restart-tasks",
            failing("in", "the redirector did not answer").toString());
    assertEquals(3, d.exitCode(90), d.output());
    assertTrue(d.output().contains("post_restart_tasks failed at"), d.output());
    assertTrue(d.output().contains("are running again"), d.output());
    assertEquals(
        List.of(
            "stop cmsd@cluster",
            "stop xrootd@cluster",
            "start cmsd@cluster",
            "start xrootd@cluster"),
        LAB.actions("lab1"),
        "the restart itself went through, and nothing was restored");
  }

  @Test
  void aHookWithASyntaxErrorIsRefusedByCheckAndTouchesNothing() throws Exception {
    Path broken = dir.resolve("broken.yml");
    Files.writeString(
        broken, "- name: Broken\n  ansible.builtin.debug:\n    msg: hi\n  bogus: 1\n");
    Daemon check = daemons.start("check", "--pre-restart-tasks", broken.toString());
    assertEquals(2, check.exitCode(60), check.output());
    assertTrue(
        check.output().contains("pre_restart_tasks: ansible-playbook --syntax-check refuses"),
        check.output());
    assertTrue(check.output().contains("conflicting action statements"), check.output());
    Daemon restart = daemons.start("restart", "lab1", "--post-restart-tasks", broken.toString());
    assertEquals(2, restart.exitCode(60), restart.output());
    assertEquals(List.of(), LAB.actions("lab1"));
  }
}
