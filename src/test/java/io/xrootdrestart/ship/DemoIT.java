package io.xrootdrestart.ship;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Lab;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code testing/demo}, end to end on the packaged jar. */
class DemoIT {
  private static final String JAR = Path.of("target/xrootdrestart.jar").toAbsolutePath().toString();

  @TempDir Path dir;

  private Process demo(Path out, String... args) throws Exception {
    // the lab's real XRootD daemons run as user xrootd and must reach their directories under here
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command = new java.util.ArrayList<>(List.of("setsid", "testing/demo"));
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("JAR", JAR);
    pb.environment().put("DEMO_DIR", dir.resolve("demo").toString());
    return pb.start();
  }

  private static String read(Path out) throws Exception {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private boolean labUp() {
    return Lab.run(
                java.util.Map.of("LAB_DIR", dir.resolve("demo/lab").toString()),
                "testing/lab/lab",
                "status")
            .code()
        != 3;
  }

  @Test
  void oneRotationWithMonitoringRestartsAllThreeServersThenStopsEverything() throws Exception {
    Path out = dir.resolve("demo.out");
    Process p =
        demo(out, "--rotations", "1", "--period", "15s", "--wait", "1s", "--with-monitoring");
    assertTrue(p.waitFor(240, TimeUnit.SECONDS), "the demo did not end:\n" + read(out));
    String text = read(out);
    assertEquals(0, p.exitValue(), text);
    for (String server : List.of("lab1", "lab2", "lab3")) {
      assertTrue(
          text.lines().anyMatch(l -> l.contains(server) && l.contains("restarted")),
          server + ":\n" + text);
    }
    assertTrue(
        text.contains("/metrics")
            && text.contains("status --config")
            && text.contains("/state/runs/"),
        text);
    String look = text.substring(text.indexOf("Where to look while it runs"));
    assertTrue(
        look.lines()
            .skip(1)
            .findFirst()
            .orElse("")
            .matches("  status page: +http://127\\.0\\.0\\.1:\\d+/ .*"),
        "the status page's address comes first:\n" + look);
    assertTrue(text.contains("lab down"), text);
    assertTrue(!labUp(), "the lab is still up");
    java.util.regex.Matcher am =
        java.util.regex.Pattern.compile("alertmanager_url=http://127.0.0.1:(\\d+)").matcher(text);
    assertTrue(am.find(), text);
    assertTrue(
        text.contains("alert_url: http://127.0.0.1:" + am.group(1)),
        "alerts go to the demo's Alertmanager");
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(am.group(1))), 500);
      throw new AssertionError("the demo's Alertmanager still runs");
    } catch (java.io.IOException expected) {
      // stopped with the demo
    }
  }

  @Test
  void onRealXrootdTheClientsTallyStandsBesideEachRestartAndNoReadFails() throws Exception {
    Path out = dir.resolve("demo-xrootd.out");
    Process p = demo(out, "--xrootd", "--rotations", "1", "--period", "15s", "--wait", "3s");
    assertTrue(p.waitFor(400, TimeUnit.SECONDS), "the demo did not end:\n" + read(out));
    String text = read(out);
    assertEquals(0, p.exitValue(), text);
    for (String server : List.of("lab1", "lab2", "lab3")) {
      assertTrue(
          text.lines()
              .anyMatch(
                  l ->
                      l.contains(server)
                          && l.contains("restarted")
                          && l.matches(".*\\[clients: \\d+ reads, \\d+ failed, \\d+ stalled\\]$")),
          server + ":\n" + text);
    }
    assertTrue(text.contains("What the clients saw"), text);
    java.util.regex.Matcher failed =
        java.util.regex.Pattern.compile("failed reads +(\\d+)")
            .matcher(text.substring(text.indexOf("What the clients saw")));
    assertTrue(failed.find() && failed.group(1).equals("0"), "no read failed:\n" + text);
    assertTrue(!labUp(), "the lab is still up");
  }

  @Test
  void ctrlCStopsTheDaemonCleanlyAndTakesTheLabDown() throws Exception {
    Path out = dir.resolve("demo-int.out");
    Process p = demo(out, "--period", "6s", "--wait", "2s");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!read(out).contains("waiting") && System.nanoTime() < deadline && p.isAlive()) {
      Thread.sleep(200);
    }
    assertTrue(read(out).contains("waiting"), "no restart under way:\n" + read(out));
    java.util.regex.Matcher page =
        java.util.regex.Pattern.compile("status page: +(http://\\S+)").matcher(read(out));
    assertTrue(page.find(), read(out));
    var http = java.net.http.HttpClient.newHttpClient();
    var index =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(page.group(1))).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, index.statusCode());
    assertTrue(index.body().contains("<title>xrootdrestart</title>"), index.body());
    new ProcessBuilder("kill", "-INT", "--", "-" + p.pid())
        .start()
        .waitFor(); // Ctrl-C: the whole group
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the demo did not stop:\n" + read(out));
    String text = read(out);
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("The daemon stopped (exit 0)"), text);
    assertTrue(text.contains("lab down"), text);
    assertTrue(!labUp(), "the lab is still up");
  }
}
