package io.xrootdrestart.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.events.HostResult;
import io.xrootdrestart.events.Outcome;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.events.TaskResult;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Phase;
import io.xrootdrestart.playbook.PhasePlaybook;
import io.xrootdrestart.playbook.Phases;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the xrootd check makes of each server's three lines (units, then xrootd's answer). */
class XrootdHealthCheckTest {
  static final Phases PHASES = new Phases(Duration.ofSeconds(20), Duration.ofSeconds(5));

  static Server server(String name, int port) {
    return new Server(name, "10.0.0.1", 22, Optional.empty(), "cmsd@c", "xrootd@c", port);
  }

  static HostResult reading(String host, String out) {
    return new HostResult(
        host,
        Outcome.OK,
        Optional.empty(),
        "",
        List.of(new TaskResult(Phases.HEALTH_TASK, "ok", 0, out, "", "")));
  }

  @Test
  void onlyAServerInTheClusterIsHealthy() {
    List<Server> servers =
        List.of(
            server("in", 1094), server("out", 1094), server("dead", 2094), server("down", 1094));
    Map<String, HostResult> hosts = new LinkedHashMap<>();
    hosts.put("in", reading("in", "active\nactive\nall.role server /a"));
    hosts.put("out", reading("out", "active\nactive\nall.role server /d"));
    hosts.put("dead", reading("dead", "active\nactive\n[FATAL] Connection error"));
    hosts.put("down", reading("down", "active\nfailed\n[FATAL] Connection error"));
    RunResult run =
        new RunResult(Phase.HEALTH, hosts, 0, Duration.ofSeconds(1), false, Optional.empty());
    FleetHealth h = new XrootdHealthCheck(PHASES).read(run, servers);

    assertTrue(h.server("in").orElseThrow().healthy());
    assertFalse(h.server("out").orElseThrow().healthy());
    assertEquals(
        "xrootd answers but is not in the cluster (not logged in to its cmsd)",
        h.server("out").orElseThrow().describe());
    assertEquals(
        "xrootd does not answer on port 2094 ([FATAL] Connection error)",
        h.server("dead").orElseThrow().describe(),
        "a frozen or dead xrootd with active units");
    assertEquals(
        "cmsd active, xrootd failed",
        h.server("down").orElseThrow().describe(),
        "the units come first");
    assertEquals(1, h.healthyCount());
  }

  @Test
  void noAnswerAtAllOrAStandaloneServerIsNotServing() {
    assertEquals(
        Optional.of("xrootd does not answer on port 1094 within 5 s"),
        XrootdHealthCheck.notServing(Optional.empty(), 1094));
    assertEquals(
        Optional.of("xrootd answers but is in no cluster (none|)"),
        XrootdHealthCheck.notServing(Optional.of("none|"), 1094));
    assertEquals(Optional.empty(), XrootdHealthCheck.notServing(Optional.of("x /a "), 1094));
  }

  @Test
  void thePlayAsksXrootdOnEachServersOwnPort() {
    PhasePlaybook p =
        new XrootdHealthCheck(PHASES).playbook(List.of(server("a", 1094), server("b", 2094)));
    String cmd = p.play().tasks().get(0).cmd();
    assertTrue(
        cmd.endsWith(
            "; done\nexport XRD_CONNECTIONRETRY=1 XRD_REQUESTTIMEOUT=3 XRD_STREAMTIMEOUT=3"
                + " XRD_TIMEOUTRESOLUTION=1\necho \"$(timeout 5 xrdfs"
                + " localhost:{{ xrootdrestart_ports[item] }} query config cms 2>&1 | grep ."
                + " | tail -n 1)\"\n"),
        cmd);
    assertEquals(Map.of("a", 1094, "b", 2094), p.play().vars().get("xrootdrestart_ports"));
  }
}
