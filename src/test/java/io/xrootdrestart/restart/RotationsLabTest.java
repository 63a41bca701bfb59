package io.xrootdrestart.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Daemons;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two rotations on one lab: the inventory's group {@code xrootd_servers} with the children {@code
 * east} (lab1-lab3, {@code xrootdrestart_min_ok: 2}) and {@code west} (lab4-lab6, {@code
 * xrootdrestart_min_ok: 1}), driven by the daemon as a site runs it ({@code run}, a real process).
 * Judged by the lab's action logs: when each unit was stopped and started, on which server.
 */
@LabTest
class RotationsLabTest {
  private static final List<String> EAST = List.of("lab1", "lab2", "lab3");
  private static final List<String> WEST = List.of("lab4", "lab5", "lab6");

  @RegisterExtension static final Lab LAB = Lab.servers(6);

  @TempDir static Path dir;

  static Path config;
  static Path inventory;
  static Path stateDir;
  static Daemons daemons;

  @BeforeAll
  static void provision() throws Exception {
    Path etc = dir.resolve("etc");
    LAB.provision(etc, Map.of("cmsd_period", "9s", "cmsd_wait", "1s", "service_timeout", "5s"));
    config = etc.resolve("xrootdrestart.yml");
    stateDir = etc.resolve("state");
    inventory = rotations(LAB.inventory(), dir.resolve("rotations.yml"));
    daemons = new Daemons(dir.resolve("out"), config);
  }

  /** The lab's inventory with its servers split into the child groups east and west. */
  static Path rotations(Path labInventory, Path out) throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    ObjectNode root = (ObjectNode) yaml.readTree(labInventory.toFile());
    ObjectNode group =
        (ObjectNode)
            (root.has("xrootd_servers")
                ? root.get("xrootd_servers")
                : root.path("all").path("children").path("xrootd_servers"));
    JsonNode hosts = group.remove("hosts");
    ObjectNode children = group.putObject("children");
    for (var e : Map.of("east", EAST, "west", WEST).entrySet()) {
      ObjectNode child = children.putObject(e.getKey());
      ObjectNode theirs = child.putObject("hosts");
      e.getValue().forEach(h -> theirs.set(h, hosts.get(h)));
      child.putObject("vars").put("xrootdrestart_min_ok", e.getKey().equals("east") ? 2 : 1);
    }
    yaml.writeValue(out.toFile(), root);
    return out;
  }

  @BeforeEach
  void freshLab() throws Exception {
    LAB.reset();
    try (var old = Files.list(stateDir)) {
      for (Path p : old.filter(p -> p.getFileName().toString().startsWith("state")).toList()) {
        Files.delete(p);
      }
    }
  }

  @AfterEach
  void stopDaemons() throws Exception {
    daemons.stopAll();
  }

  /** One server's restart as its action log shows it: from its first stop to its last start. */
  record Span(String server, long from, long to) {
    boolean overlaps(Span o) {
      return from < o.to && o.from < to;
    }
  }

  private static List<Span> spans(List<String> servers) {
    List<Span> spans = new ArrayList<>();
    for (String s : servers) {
      List<Lab.Call> changes =
          LAB.log(s).stream().filter(c -> List.of("start", "stop").contains(c.verb())).toList();
      if (!changes.isEmpty()) {
        spans.add(
            new Span(s, changes.get(0).timeMillis(), changes.get(changes.size() - 1).timeMillis()));
      }
    }
    return spans;
  }

  private static void assertOneAtATime(List<Span> spans, String what) {
    for (int i = 0; i < spans.size(); i++) {
      for (int j = i + 1; j < spans.size(); j++) {
        assertFalse(
            spans.get(i).overlaps(spans.get(j)),
            what + ": " + spans.get(i) + " and " + spans.get(j) + " were restarted at once");
      }
    }
  }

  private static final List<String> CYCLE =
      List.of(
          "stop cmsd@cluster", "stop xrootd@cluster", "start cmsd@cluster", "start xrootd@cluster");

  @Test
  void bothRotationsGoOnAtOnceEachOneServerAtATime() throws Exception {
    Daemon d = daemons.start("run", "--rotations", "1", "--inventory", inventory.toString());
    assertEquals(0, d.exitCode(120), d.output());
    for (String s : EAST) {
      assertEquals(CYCLE, LAB.actions(s), s);
    }
    for (String s : WEST) {
      assertEquals(CYCLE, LAB.actions(s), s);
    }
    List<Span> east = spans(EAST);
    List<Span> west = spans(WEST);
    assertOneAtATime(east, "east");
    assertOneAtATime(west, "west");
    assertTrue(
        east.stream().anyMatch(e -> west.stream().anyMatch(e::overlaps)),
        "the rotations ran at the same time: east " + east + ", west " + west);
    assertTrue(Files.exists(stateDir.resolve("state-east.json")), "a state file per rotation");
    assertTrue(Files.exists(stateDir.resolve("state-west.json")));
  }

  @Test
  void maxParallelOneSerialisesTheRotations() throws Exception {
    Daemon d =
        daemons.start(
            "run", "--rotations", "1", "--inventory", inventory.toString(), "--max-parallel", "1");
    assertEquals(0, d.exitCode(150), d.output());
    List<Span> all = spans(List.of("lab1", "lab2", "lab3", "lab4", "lab5", "lab6"));
    assertEquals(6, all.size(), d.output());
    assertOneAtATime(all, "max_parallel 1");
  }

  @Test
  void aHoldInOneRotationLeavesTheOtherGoing() throws Exception {
    LAB.ssh("lab3", "systemctl", "stop", "cmsd@cluster"); // east: lab1 has 1 healthy other, needs 2
    LAB.clearLog("lab3");
    Daemon d = daemons.start("run", "--inventory", inventory.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (WEST.stream().anyMatch(s -> LAB.actions(s).size() < 4)) {
      assertTrue(System.nanoTime() < deadline, "west did not go on:\n" + d.output());
      Thread.sleep(500);
    }
    d.await("only 1 server other than lab1 healthy, min_ok is 2", 10);
    for (String s : WEST) {
      assertEquals(CYCLE, LAB.actions(s), s);
    }
    for (String s : EAST) {
      assertEquals(List.of(), LAB.actions(s), s + ": east holds");
    }
    String metrics = scrape();
    assertTrue(
        metrics.contains("xrootdrestart_guard_holding{cluster=\"lab\",rotation=\"east\",} 1.0"),
        metrics);
    assertTrue(
        metrics.contains("xrootdrestart_guard_holding{cluster=\"lab\",rotation=\"west\",} 0.0"),
        metrics);
    assertTrue(
        metrics.contains("xrootdrestart_min_ok{cluster=\"lab\",rotation=\"east\",} 2.0"), metrics);
  }

  @Test
  void aCrashWithTwoRestartsInFlightRestoresBoth() throws Exception {
    Daemon d = daemons.start("run", "--inventory", inventory.toString(), "--cmsd-wait", "60s");
    ObjectMapper json = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> inFlight = List.of();
    while (inFlight.size() < 2) {
      assertTrue(System.nanoTime() < deadline, "no two restarts in flight:\n" + d.output());
      Thread.sleep(200);
      List<String> now = new ArrayList<>();
      for (String r : List.of("east", "west")) {
        Path f = stateDir.resolve("state-" + r + ".json");
        if (Files.exists(f)) {
          JsonNode flight = json.readTree(f.toFile()).path("in_flight");
          if (flight.isObject()
              && List.of("lab1", "lab4").contains(flight.path("server").asText())
              && LAB.state(flight.path("server").asText(), "cmsd@cluster").equals("inactive")) {
            now.add(flight.path("server").asText());
          }
        }
      }
      inFlight = now;
    }
    d.sigkill();
    assertEquals("inactive", LAB.state("lab1", "cmsd@cluster"), "left drained by the crash");
    assertEquals("inactive", LAB.state("lab4", "cmsd@cluster"), "left drained by the crash");
    Daemon next = daemons.start("run", "--inventory", inventory.toString(), "--cmsd-wait", "60s");
    next.await("was in flight", 30);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!LAB.state("lab1", "cmsd@cluster").equals("active")
        || !LAB.state("lab4", "cmsd@cluster").equals("active")) {
      assertTrue(System.nanoTime() < deadline, "not both restored:\n" + next.output());
      Thread.sleep(300);
    }
    for (String s : List.of("lab1", "lab4")) {
      List<String> actions = LAB.actions(s);
      assertEquals("stop cmsd@cluster", actions.get(0), s + ": " + actions);
      assertTrue(actions.contains("start cmsd@cluster"), s + " restored: " + actions);
      assertEquals("active", LAB.state(s, "xrootd@cluster"), s);
    }
  }

  private String scrape() throws Exception {
    int port = new YAMLMapper().readTree(config.toFile()).path("metrics_port").asInt();
    try (okhttp3.Response r =
        new okhttp3.OkHttpClient()
            .newCall(
                new okhttp3.Request.Builder().url("http://127.0.0.1:" + port + "/metrics").build())
            .execute()) {
      return r.body().string();
    }
  }
}
