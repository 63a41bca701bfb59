package io.xrootdrestart.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.testing.Browser;
import io.xrootdrestart.testing.Daemon;
import io.xrootdrestart.testing.Daemons;
import io.xrootdrestart.testing.HtmlValidator;
import io.xrootdrestart.testing.Lab;
import io.xrootdrestart.testing.LabTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a real daemon restarting a provisioned 3-server lab, in headless chromium. One
 * rotation shows every state in about 25 s: lab1's restart live (a slow stop of cmsd and a slow
 * start of xrootd make each step last), lab2's failing (xrootd will not start, not even for
 * restore), and lab3's held by the guard (min_ok 2, and lab2 is down). Screenshots of each state
 * are in {@code target/status-page/lab-*.png}.
 */
@LabTest
class StatusPageLabTest {
  @RegisterExtension static final Lab LAB = Lab.servers(3);

  @TempDir static Path dir;

  static Path state;
  static String url;
  static Daemons daemons;
  static Browser browser;

  @BeforeAll
  static void provision() throws Exception {
    Path etc = dir.resolve("etc");
    Config config =
        LAB.provision(
            etc,
            Map.of(
                "cmsd_period",
                "30s",
                "cmsd_wait",
                "3s",
                "service_timeout",
                "20s",
                "connect_timeout",
                "10s",
                "min_ok",
                2));
    state = etc.resolve("state");
    url = "http://127.0.0.1:" + config.get(Keys.METRICS_PORT) + "/";
    daemons = new Daemons(dir.resolve("out"), etc.resolve("xrootdrestart.yml"));
    browser = Browser.start("lab", Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (daemons != null) {
      daemons.stopAll();
    }
  }

  @Test
  void aRotationLiveRestartThenFailureThenHold() throws Exception {
    LAB.fault("lab1", "cmsd@cluster", "stop-delay", "3", "3");
    LAB.fault("lab1", "xrootd@cluster", "start-delay", "2", "2");
    LAB.fault("lab2", "xrootd@cluster", "fail", "start");
    Daemon daemon = daemons.start("run");
    try {
      watch();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n\nthe daemon's output:\n" + daemon.output(), e);
    }
    daemon.sigterm();
    assertEquals(0, daemon.exitCode(30), daemon.output());
  }

  private void watch() throws Exception {
    awaitListening(120);
    browser.open(url);
    browser.js("window.loadedOnce = 'yes'"); // a reload would lose it
    browser.await("the three servers", 60, d -> browser.all("tr[data-server]").size() == 3);
    assertEquals(List.of("lab1", "lab2", "lab3"), browser.attrs("tr[data-server]", "data-server"));
    browser.screenshot("servers");

    Set<String> steps = new LinkedHashSet<>();
    browser.await(
        "lab1's drain, live",
        120,
        d -> {
          steps.add(currentStep());
          return steps.contains("drain");
        });
    assertTrue(
        browser.text("[data-part=now]").contains("Restarting lab1"),
        browser.text("[data-part=now]"));
    browser.screenshot("drain");
    browser.await(
        "lab1's cycle, live",
        60,
        d -> {
          steps.add(currentStep());
          return steps.contains("cycle");
        });
    browser.screenshot("cycle");
    assertEquals(
        "yes", browser.js("return window.loadedOnce"), "the step changed without a reload");
    List<String> seen =
        steps.stream().filter(s -> List.of("drain", "wait", "cycle").contains(s)).toList();
    assertEquals(
        List.of("drain", "wait", "cycle"), seen, "in order, the wait with its time left: " + steps);

    String failed = ".tl-row[data-server=lab2] .bar[data-outcome=failed]";
    browser.await(
        "lab2's failed restart in the timeline", 120, d -> !browser.all(failed).isEmpty());
    StatusPageBrowserTest.assertRed(browser.style(failed, "background-color"));
    assertTrue(
        browser.attr(failed, "title").contains("Start xrootd@cluster"),
        browser.attr(failed, "title"));
    browser.click(failed);
    browser.await(
        "the failure's message",
        5,
        d -> browser.text("[data-detail] [data-detail-message]").contains("RESTORE FAILED"));
    String run = browser.text("[data-detail] [data-detail-run]");
    assertTrue(
        run.startsWith(state.resolve("runs").toString())
            && run.endsWith("-lab2-restart")
            && Files.isDirectory(Path.of(run)),
        "the run record of the failing cycle (the restart's run): " + run);
    assertTrue(
        browser.text("tr[data-server=lab1]").contains("success"),
        browser.text("tr[data-server=lab1]"));
    browser.screenshot("failed");

    browser.await(
        "the guard holding lab3",
        120,
        d -> browser.text("[data-guard=hold]").contains("not restarting lab3"));
    String held = browser.text("[data-guard=hold]");
    assertTrue(
        held.contains("only 1 server other than lab3 healthy, min_ok is 2")
            && held.contains("lab2"),
        held);
    assertTrue(
        browser.text("tr[data-server=lab2]").contains("unhealthy"),
        browser.text("tr[data-server=lab2]"));
    browser.screenshot("held");

    assertEquals(List.of(), HtmlValidator.problems(browser.renderedHtml()), "the page as rendered");
    assertEquals(List.of(), browser.overflowAt(360, "phone-360px"));
    assertEquals("yes", browser.js("return window.loadedOnce"), "never reloaded");
  }

  /**
   * Waits until the daemon's HTTP server answers (the JVM and the first inventory read take a
   * while).
   */
  private static void awaitListening(int seconds) throws InterruptedException {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      try {
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "status")).build(),
            java.net.http.HttpResponse.BodyHandlers.discarding());
        return;
      } catch (java.io.IOException e) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(
              "the daemon did not listen on " + url + " within " + seconds + " s", e);
        }
        Thread.sleep(200);
      }
    }
  }

  /** The step the page shows for the restart under way, "idle" when none. */
  private String currentStep() {
    String step = browser.attr("[data-part=now] [data-step]", "data-step");
    return step == null ? "none" : step;
  }
}
