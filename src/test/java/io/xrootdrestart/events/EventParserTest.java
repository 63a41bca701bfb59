package io.xrootdrestart.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.playbook.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parser on event streams recorded from real runs against the lab. */
class EventParserTest {
  private static final Path EVENTS = Path.of("src/test/resources/events");

  private static RunResult parse(String file, Phase phase, List<String> hosts, int exitCode)
      throws Exception {
    return parse(Files.readAllLines(EVENTS.resolve(file)), phase, hosts, exitCode, false, "");
  }

  private static RunResult parse(
      List<String> lines,
      Phase phase,
      List<String> hosts,
      int exitCode,
      boolean killed,
      String stderr) {
    EventParser p = new EventParser(phase, hosts);
    lines.forEach(p::accept);
    return p.finish(exitCode, Duration.ofSeconds(2), killed, stderr, Optional.empty());
  }

  @Test
  void allOk() throws Exception {
    RunResult r = parse("cycle-ok.jsonl", Phase.CYCLE, List.of("lab1"), 0);
    HostResult lab1 = r.host("lab1");
    assertEquals(Outcome.OK, lab1.outcome());
    assertEquals(Optional.empty(), lab1.step());
    assertEquals(6, lab1.tasks().size());
    assertEquals("active", lab1.stdout("Wait until cmsd@cluster is active").orElseThrow());
    assertTrue(r.allOk());
  }

  @Test
  void aFailedStepNamesTheTaskTheExitCodeAndTheMessage() throws Exception {
    HostResult lab1 =
        parse("cycle-start-failed.jsonl", Phase.CYCLE, List.of("lab1"), 2).host("lab1");
    assertEquals(Outcome.FAILED, lab1.outcome());
    assertEquals(Optional.of("Start xrootd@cluster"), lab1.step());
    assertTrue(
        lab1.message()
            .startsWith(
                "non-zero return code (rc 1); stderr: Job for xrootd@cluster.service failed"),
        lab1.message());
    assertEquals(3, lab1.tasks().size(), "the tasks before the failure are kept");
  }

  @Test
  void aTaskPastItsTimeoutIsTimedOut() throws Exception {
    HostResult lab1 =
        parse("cycle-stop-timed-out.jsonl", Phase.CYCLE, List.of("lab1"), 2).host("lab1");
    assertEquals(Outcome.TIMED_OUT, lab1.outcome());
    assertEquals(Optional.of("Stop xrootd@cluster"), lab1.step());
  }

  @Test
  void severalServers() throws Exception {
    RunResult r = parse("health-3-ok.jsonl", Phase.HEALTH, List.of("lab1", "lab2", "lab3"), 0);
    for (String h : List.of("lab1", "lab2", "lab3")) {
      assertEquals(Outcome.OK, r.host(h).outcome(), h);
      assertEquals("active", r.host(h).stdout("State of cmsd").orElseThrow());
      assertEquals("active", r.host(h).stdout("State of xrootd").orElseThrow());
    }
  }

  @Test
  void anUnreachableServerAmongReachableOnes() throws Exception {
    RunResult r =
        parse("health-unreachable.jsonl", Phase.HEALTH, List.of("lab1", "lab2", "lab3"), 4);
    assertEquals(Outcome.UNREACHABLE, r.host("lab2").outcome());
    assertTrue(
        r.host("lab2")
            .message()
            .contains("Data could not be sent to remote host \"10.231.143.12\""),
        r.host("lab2").message());
    assertEquals(Outcome.OK, r.host("lab1").outcome());
    assertEquals(Outcome.OK, r.host("lab3").outcome());
    assertEquals(List.of(r.host("lab2")), r.failures());
  }

  @Test
  void aShardsItemsAreEachTheirServersResult() throws Exception {
    // lab1 read lab1, lab2 and lab3 in turn (delegate_to in a loop); lab2 was cut off the network
    RunResult r =
        parse("health-sharded-unreachable.jsonl", Phase.HEALTH, List.of("lab1", "lab2", "lab3"), 4);
    assertEquals(Outcome.UNREACHABLE, r.host("lab2").outcome(), r.host("lab2").describe());
    assertTrue(r.host("lab2").message().contains("Failed to connect"), r.host("lab2").message());
    for (String h : List.of("lab1", "lab3")) {
      assertEquals(Outcome.OK, r.host(h).outcome(), r.host(h).describe());
      assertEquals("active\nactive", r.host(h).stdout("State of cmsd and xrootd").orElseThrow(), h);
    }
    assertEquals(List.of(r.host("lab2")), r.failures());
  }

  @Test
  void aKilledRunLeavesUnfinishedHostsTimedOut() throws Exception {
    List<String> lines = Files.readAllLines(EVENTS.resolve("cycle-ok.jsonl")).subList(0, 7);
    HostResult lab1 = parse(lines, Phase.CYCLE, List.of("lab1"), -1, true, "").host("lab1");
    assertEquals(Outcome.TIMED_OUT, lab1.outcome());
    assertEquals(Optional.of("Start xrootd@cluster"), lab1.step(), "the last task that finished");
    assertTrue(lab1.message().startsWith("the run was stopped after 2 s"), lab1.message());
  }

  @Test
  void aRunThatFailedBeforeAnyTaskReportsAnsiblesError() {
    String err = "ERROR! the playbook: /x/playbook.yml could not be found\n";
    HostResult lab1 = parse(List.of(), Phase.DRAIN, List.of("lab1"), 1, false, err).host("lab1");
    assertEquals(Outcome.FAILED, lab1.outcome());
    assertTrue(
        lab1.message()
            .contains(
                "ansible-playbook exited with 1 without a result for this host: ERROR! the"
                    + " playbook"),
        lab1.message());
  }

  @Test
  void linesThatAreNotEventsAreIgnored() throws Exception {
    List<String> lines =
        new java.util.ArrayList<>(Files.readAllLines(EVENTS.resolve("cycle-ok.jsonl")));
    lines.add(0, "[WARNING]: something Ansible printed on stdout");
    assertEquals(
        Outcome.OK,
        parse(lines, Phase.CYCLE, List.of("lab1"), 0, false, "").host("lab1").outcome());
  }
}
