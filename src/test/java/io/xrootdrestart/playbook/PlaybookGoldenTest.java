package io.xrootdrestart.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.inventory.Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generated playbook against its golden file in src/test/resources/golden. After an intended
 * change, regenerate them with {@code mvn test -Dtest=PlaybookGoldenTest -Dgolden.update=true} and
 * review the diff.
 */
class PlaybookGoldenTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");
  static final Server LAB1 =
      new Server("lab1", "10.231.1.11", 22, Optional.empty(), "cmsd@cluster", "xrootd@cluster");
  static final Server LAB2 =
      new Server("lab2", "10.231.1.12", 22, Optional.empty(), "cmsd@site", "xrootd@site.service");

  static Map<String, PhasePlaybook> playbooks() {
    Phases phases = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10));
    Map<String, PhasePlaybook> m = new LinkedHashMap<>();
    m.put("drain.yml", phases.drain(LAB1));
    m.put("idle.yml", phases.idle(LAB1, Duration.ofSeconds(300)));
    m.put("cycle.yml", phases.cycle(LAB1));
    m.put("restore.yml", phases.restore(LAB1));
    m.put("kill.yml", phases.kill(LAB1, "xrootd@cluster"));
    m.put("health.yml", phases.health(List.of(LAB1, LAB2)));
    m.put("reboot.yml", phases.reboot(LAB1));
    Phases xrootd =
        new Phases(
            Duration.ofSeconds(120),
            Duration.ofSeconds(10),
            io.xrootdrestart.config.StartOrder.CMSD_FIRST,
            Optional.of(Duration.ofSeconds(30)),
            false);
    m.put("cycle-cmsd-first-verified.yml", xrootd.cycle(LAB1));
    m.put("health-xrootd.yml", xrootd.health(List.of(LAB1, LAB2), true));
    return m;
  }

  /**
   * A restart's single run with the default settings: the fleet's health, then lab1's drain behind
   * its gate, the wait until idle, and the cycle behind its gate.
   */
  static RestartPlaybook restart() {
    return DEFAULTS.restart(LAB1, DEFAULTS.health(List.of(LAB1, LAB2)), Duration.ofSeconds(30));
  }

  /** The phases as the default config makes them: cmsd first, drain until idle. */
  static final Phases DEFAULTS =
      new Phases(
          Duration.ofSeconds(120),
          Duration.ofSeconds(10),
          io.xrootdrestart.config.StartOrder.CMSD_FIRST,
          Optional.empty(),
          true);

  @Test
  void theRestartRunMatchesItsGoldenFile() throws Exception {
    matchesItsGoldenFile("restart.yml", restart());
  }

  /**
   * With the site's hooks: the gate is read once, by a first task, and the hook and the script each
   * run only if it opened.
   */
  @Test
  void theRestartRunWithHooksMatchesItsGoldenFile() throws Exception {
    Phases hooked =
        DEFAULTS.withHooks(
            new Hooks(
                Optional.of(Path.of("/etc/xrootdrestart/hooks/out.yml")),
                Optional.of(Path.of("/etc/xrootdrestart/hooks/in.yml"))));
    RestartPlaybook r =
        hooked.restart(LAB1, hooked.health(List.of(LAB1, LAB2)), Duration.ofSeconds(30));
    matchesItsGoldenFile("restart-hooks.yml", r);
    List<Task> drain = r.section(Phase.DRAIN).play().tasks();
    assertEquals(3, drain.size());
    assertTrue(drain.get(0).when().contains("head -n 1 gates/slot"), "the gate, read once");
    assertTrue(drain.get(1).isInclude() && drain.get(2).script() != null, "the hook, then cmsd");
    assertEquals("xrootdrestart_slot_gate_open | default(false)", drain.get(2).when());
    List<Task> cycle = r.section(Phase.CYCLE).play().tasks();
    assertTrue(
        cycle.get(1).script() != null && cycle.get(2).isInclude(), "the cycle, then the hook");
    assertEquals("xrootdrestart_cycle_gate_open | default(false)", cycle.get(2).when());
    assertTrue(r.section(Phase.DRAIN).isHookTask("Take lab1 out of the redirector"));
    assertTrue(r.section(Phase.DRAIN).isHookTask(drain.get(1).name()));
    assertFalse(r.section(Phase.DRAIN).isHookTask(drain.get(2).name()));
  }

  private static void matchesItsGoldenFile(String name, RestartPlaybook r) throws Exception {
    String text = PlaybookWriter.write(r);
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, text);
    }
    assertEquals(
        Files.readString(golden),
        text,
        "regenerate with -Dgolden.update=true if the change is intended");
    Object parsed = new YAMLMapper().readValue(text, Object.class);
    ObjectMapper json = new ObjectMapper();
    assertEquals(
        json.valueToTree(r.plays().stream().map(Play::toYaml).toList()), json.valueToTree(parsed));
  }

  @Test
  void theRestartRunHasTheSamePlaysAsThePhasesAloneWithAGateBeforeEachChange() {
    Phases phases = DEFAULTS;
    RestartPlaybook r = restart();
    assertEquals(
        List.of(Phase.HEALTH, Phase.DRAIN, Phase.IDLE, Phase.CYCLE),
        r.sections().stream().map(PhasePlaybook::phase).toList());
    assertNull(r.section(Phase.IDLE).gate(), "the wait until idle only reads: no gate");
    assertEquals(
        phases.idle(LAB1, Duration.ofSeconds(30)).play(),
        r.section(Phase.IDLE).play(),
        "the wait as it runs alone, at most cmsd_wait");
    assertEquals(
        List.of(Phase.HEALTH, Phase.DRAIN, Phase.CYCLE),
        new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10))
            .restart(LAB1, phases.health(List.of(LAB1)), Duration.ofSeconds(30)).sections().stream()
                .map(PhasePlaybook::phase)
                .toList(),
        "drain_until_idle off: no wait in the run, the daemon waits cmsd_wait");
    assertEquals(phases.health(List.of(LAB1, LAB2)).play(), r.section(Phase.HEALTH).play());
    for (Phase phase : List.of(Phase.DRAIN, Phase.CYCLE)) {
      PhasePlaybook section = r.section(phase);
      PhasePlaybook alone = phase == Phase.DRAIN ? phases.drain(LAB1) : phases.cycle(LAB1);
      Gate gate = phase == Phase.DRAIN ? Gate.SLOT : Gate.CYCLE;
      assertEquals(gate, section.gate());
      assertEquals(1, section.play().tasks().size(), "one task per phase");
      Task task = section.play().tasks().get(0);
      assertTrue(task.when().contains("head -n 1 gates/" + gate.id()), task.when());
      assertEquals(alone.play().tasks(), List.of(task.when(null)), "the task alone, gated");
      assertEquals(List.of("lab1"), section.hosts());
    }
  }

  @Test
  void theHealthPlayRunsOnOneServerPerShardOf16() {
    List<Server> fleet = new java.util.ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      fleet.add(new Server("s" + i, "10.0.0." + i, 22, Optional.empty(), "cmsd@a", "xrootd@a"));
    }
    PhasePlaybook h = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10)).health(fleet);
    assertEquals(List.of("s1", "s17"), h.play().hosts());
    assertEquals(20, h.hosts().size(), "the result has every server");
    Map<?, ?> shards = (Map<?, ?>) h.play().vars().get("xrootdrestart_shards");
    assertEquals(fleet.subList(0, 16).stream().map(Server::name).toList(), shards.get("s1"));
    assertEquals(List.of("s17", "s18", "s19", "s20"), shards.get("s17"));
  }

  @Test
  void aFleetAbove32ServersIsReadWithoutSshControlMasters() {
    Phases phases = new Phases(Duration.ofSeconds(120), Duration.ofSeconds(10));
    List<Server> fleet = new java.util.ArrayList<>();
    for (int i = 1; i <= 33; i++) {
      fleet.add(new Server("s" + i, "10.0.0." + i, 22, Optional.empty(), "cmsd@a", "xrootd@a"));
    }
    assertEquals(
        "none", phases.health(fleet).play().vars().get("ansible_control_path"), "33 servers");
    assertEquals(
        null,
        phases.health(fleet.subList(0, 32)).play().vars().get("ansible_control_path"),
        "32 servers: their masters are reused by the next slot");
  }

  static List<String> names() {
    return List.copyOf(playbooks().keySet());
  }

  @ParameterizedTest
  @MethodSource("names")
  void matchesGoldenFile(String name) throws Exception {
    String text = PlaybookWriter.write(playbooks().get(name));
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, text);
    }
    assertEquals(
        Files.readString(golden),
        text,
        "regenerate with -Dgolden.update=true if the change is intended");
  }

  @ParameterizedTest
  @MethodSource("names")
  void readsBackAsTheModel(String name) throws Exception {
    PhasePlaybook p = playbooks().get(name);
    Object parsed = new YAMLMapper().readValue(PlaybookWriter.write(p), Object.class);
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.valueToTree(List.of(p.play().toYaml())), json.valueToTree(parsed));
  }

  @Test
  void everyRemoteCommandIsOneTheSudoRuleAllows() {
    for (PhasePlaybook p : playbooks().values()) {
      for (Task t : p.play().tasks()) {
        if (p.phase() == Phase.HEALTH) {
          // one sudo call per unit of the server, in a loop over its two unit names (then, with
          // health_check xrootd, xrdfs as the daemon's account, no sudo)
          assertTrue(
              t.cmd()
                  .startsWith(
                      "for u in {{ xrootdrestart_units[item] }}; do echo"
                          + " \"$(sudo -n /usr/bin/systemctl is-active $u)\"; done"),
              t.cmd());
          assertEquals(1, t.cmd().split("sudo", -1).length - 1, t.cmd());
          assertEquals(
              "cmsd@site xrootd@site.service",
              ((Map<?, ?>) p.play().vars().get("xrootdrestart_units")).get("lab2"));
          continue;
        }
        // a script: every sudo call in it is one the sudo rule allows, unit written out
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("sudo -n /usr/bin/systemctl [^;)\n]*").matcher(t.cmd());
        int calls = 0;
        while (m.find()) {
          calls++;
          assertTrue(
              m.group()
                      .matches(
                          "sudo -n /usr/bin/systemctl (start|stop|is-active|kill --signal=SIGKILL)"
                              + " [A-Za-z0-9_.@-]+")
                  || m.group().equals("sudo -n /usr/bin/systemctl reboot"),
              m.group());
        }
        long sudoSteps =
            t.script().steps().stream().filter(st -> st.step().kind().command() != null).count();
        assertEquals(sudoSteps, calls, t.cmd());
      }
    }
  }
}
