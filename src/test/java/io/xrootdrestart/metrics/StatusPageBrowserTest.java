package io.xrootdrestart.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.xrootdrestart.alerts.Alert;
import io.xrootdrestart.alerts.AlertName;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.restart.Activity;
import io.xrootdrestart.restart.Daemon;
import io.xrootdrestart.restart.PhaseReport;
import io.xrootdrestart.restart.RestartResult;
import io.xrootdrestart.restart.StatusReport;
import io.xrootdrestart.state.Controls;
import io.xrootdrestart.state.DaemonState;
import io.xrootdrestart.state.ServerRecord;
import io.xrootdrestart.testing.Browser;
import io.xrootdrestart.testing.HtmlValidator;
import io.xrootdrestart.testing.MutableClock;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;

/**
 * The page in a real browser on a /status built by the real code from scripted events, with every
 * part at once (a restart waiting, a failed one, a held guard, a paused rotation, an excluded
 * server, an alert, long messages), so that one page shows them all. Chromium runs in
 * Pacific/Auckland: the page must show the times in the browser's zone, not the daemon's.
 */
@UsesTools
class StatusPageBrowserTest {
  static final Instant T0 = Instant.parse("2026-01-15T12:00:00Z");
  static final ZoneId ZONE = ZoneId.of("Pacific/Auckland");
  static final String LONG =
      "Job for xrootd@cluster.service failed because the control process exited with error code."
          + " See \"systemctl status xrootd@cluster.service\" and \"journalctl -xeu"
          + " xrootd@cluster.service\" for details.; RESTORE FAILED at 'Start xrootd@cluster':"
          + " /var/lib/xrootdrestart/runs/20260115T110005.123Z-lab2-restore/stderr.log";
  static final String RUN =
      "/var/lib/xrootdrestart/runs/20260115T110003.456Z-a-server-with-a-long-name.example.org-cycle";

  static MetricsServer server;
  static Browser browser;
  static final AtomicReference<Object> status = new AtomicReference<>();

  @BeforeAll
  static void start() {
    server = MetricsServer.start("127.0.0.1", 0, new CollectorRegistry(true), status::get);
    browser = Browser.start("canned", Map.of("TZ", ZONE.getId()));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    server.close();
  }

  @BeforeEach
  void everything() {
    status.set(everythingAtOnce());
    browser.driver().manage().window().setSize(new Dimension(1280, 900));
    browser.open("http://127.0.0.1:" + server.port() + "/");
    browser.await(
        "the rotation",
        10,
        d -> !browser.all("[data-rotation=xrootd_servers] tr[data-server]").isEmpty());
  }

  static PhaseReport run(String phase, String outcome, String dir) {
    return new PhaseReport(
        phase, outcome, Optional.empty(), "", Duration.ofSeconds(2), Optional.of(Path.of(dir)));
  }

  static Map<String, Object> everythingAtOnce() {
    MutableClock clock = new MutableClock(T0.minus(Duration.ofHours(3)));
    Activity a = new Activity(clock);
    String first = "a-server-with-a-long-name.example.org";
    a.restartStarted(first);
    a.phaseStarted(first, "drain");
    clock.advance(Duration.ofSeconds(2));
    a.phaseFinished(first, run("drain", "ok", "/runs/1-drain"));
    a.waiting(first, Duration.ofMinutes(5), false);
    clock.advance(Duration.ofMinutes(5));
    a.phaseStarted(first, "cycle");
    clock.advance(Duration.ofSeconds(3));
    a.phaseFinished(first, run("cycle", "ok", RUN));
    a.restartSucceeded(first, RestartResult.success(""));

    clock.advanceTo(T0.minus(Duration.ofHours(1)));
    a.restartStarted("lab2");
    a.phaseStarted("lab2", "drain");
    clock.advance(Duration.ofSeconds(2));
    a.phaseFinished("lab2", run("drain", "ok", "/runs/2-drain"));
    a.waiting("lab2", Duration.ofMinutes(5), false);
    clock.advance(Duration.ofMinutes(5));
    a.phaseStarted("lab2", "cycle");
    clock.advance(Duration.ofSeconds(2));
    a.phaseFinished("lab2", run("cycle", "failed", RUN));
    a.phaseStarted("lab2", "restore");
    clock.advance(Duration.ofSeconds(2));
    a.phaseFinished("lab2", run("restore", "failed", "/runs/3-restore"));
    a.restartFailed(
        "lab2",
        new RestartResult(
            RestartResult.Status.FAILED,
            Optional.of("cycle: Start xrootd@cluster"),
            LONG,
            Optional.of(Path.of(RUN)),
            false));

    clock.advanceTo(T0.minusSeconds(60));
    a.healthChecked(
        new FleetHealth(
            Map.of(
                first,
                ServerHealth.of(first, "active", "active"),
                "lab2",
                ServerHealth.of("lab2", "active", "failed"),
                "lab3",
                ServerHealth.of("lab3", "active", "active"))));
    a.guardHeld(
        "lab3",
        new Decision.Hold(
            true,
            "only 1 server other than lab3 healthy, min_ok is 2; unhealthy: lab2"
                + " (cmsd active, xrootd failed)"));
    clock.advanceTo(T0.minusSeconds(20));
    a.restartStarted(first);
    a.phaseStarted(first, "drain");
    clock.advance(Duration.ofSeconds(2));
    a.phaseFinished(first, run("drain", "ok", "/runs/4-drain"));
    a.waiting(first, Duration.ofMinutes(5), false);
    clock.advanceTo(T0);

    DaemonState state =
        DaemonState.EMPTY
            .withLastSlot(T0.minusSeconds(20))
            .with(first, ServerRecord.NEVER.attempted(T0.minusSeconds(20)))
            .with(
                "lab2",
                ServerRecord.NEVER
                    .attempted(T0.minus(Duration.ofHours(1)))
                    .finished("failed", LONG, false, false))
            .with(
                "lab3",
                ServerRecord.NEVER
                    .attempted(T0.minus(Duration.ofHours(30)))
                    .finished("success", "", true, false));
    Daemon.Settings settings =
        new Daemon.Settings(
            Duration.ofHours(3),
            Duration.ofMinutes(5),
            2,
            Optional.empty(),
            Optional.empty(),
            false);
    Alert alert =
        new Alert(
            AlertName.RESTART_ERROR,
            Optional.of("lab2"),
            T0.minus(Duration.ofMinutes(55)),
            "The restart of lab2 failed",
            LONG,
            Optional.of(RUN));
    Controls controls =
        Controls.NONE
            .paused("kernel upgrade on the redirector", T0.minusSeconds(600))
            .exclude(
                "lab3",
                new Controls.Exclusion(
                    T0.minus(Duration.ofHours(2)),
                    Optional.of(T0.plus(Duration.ofDays(1))),
                    "disk replacement"));
    return StatusReport.of(
            state,
            controls,
            List.of(first, "lab2", "lab3"),
            settings,
            clock.instant(),
            Optional.of(
                new StatusReport.Live("atlas-t2", "xrootd_servers", a.snapshot(), List.of(alert))))
        .document();
  }

  @Test
  void everyPartIsShownWithTimesInTheBrowsersZone() {
    browser.screenshot("everything");
    String guard = browser.text("[data-guard=hold]");
    assertTrue(
        guard.contains("Held")
            && guard.contains("only 1 server other than lab3 healthy, min_ok is 2"),
        guard);
    assertTrue(browser.text("[data-guard=paused]").contains("kernel upgrade on the redirector"));
    String excluded = browser.text("[data-guard=excluded]");
    assertTrue(excluded.contains("lab3") && excluded.contains("disk replacement"), excluded);
    assertTrue(
        browser.text("[data-alert=XROOTDRESTART_RESTART_ERROR]").contains("firing for 55 min"),
        browser.text("[data-alert]"));
    String now = browser.text("[data-part=now]");
    assertEquals("wait", browser.attr("[data-part=now] .step", "data-step"));
    assertTrue(now.matches("(?s).*waiting for clients: 4 min \\d+ s left.*"), now);
    assertTrue(now.contains("drain: stop cmsd 2.0 s, ok"), now);
    String lab2 = browser.text("tr[data-server=lab2]");
    assertTrue(
        lab2.contains("unhealthy: cmsd active, xrootd failed")
            && lab2.contains("failed in 5 min 6 s"),
        lab2);

    // The next slot, in Auckland's time (UTC+13 in January), as the browser shows it.
    String slot = browser.attr("[data-rotation] .slots time", "datetime");
    String local = DateTimeFormatter.ofPattern("HH:mm:ss").format(Instant.parse(slot).atZone(ZONE));
    assertTrue(
        browser.text("[data-rotation] .slots li").contains(local),
        browser.text("[data-rotation] .slots") + " / " + local);
    assertTrue(browser.text("footer").contains("Pacific/Auckland"));
  }

  @Test
  void aFailedRestartIsRedInTheTimelineAndTappingItShowsItsMessageAndRunRecord() {
    String failed = ".tl-row[data-server=lab2] .bar";
    assertEquals("failed", browser.attr(failed, "data-outcome"));
    assertRed(browser.style(failed, "background-color"));
    assertEquals(
        List.of("drain", "wait", "cycle", "restore"),
        browser.attrs(failed + " .seg", "data-seg"),
        "the steps inside the bar");
    assertTrue(browser.attr(failed, "title").contains(LONG), "hover: the message in the tooltip");
    browser.click(failed);
    browser.await(
        "the details of the failed restart", 5, d -> browser.text("[data-detail]").contains(RUN));
    assertTrue(browser.text("[data-detail] [data-detail-message]").contains("RESTORE FAILED"));
    browser.screenshot("failed-details");
  }

  static void assertRed(String css) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)").matcher(css);
    assertTrue(m.find(), css);
    int r = Integer.parseInt(m.group(1));
    int g = Integer.parseInt(m.group(2));
    int b = Integer.parseInt(m.group(3));
    assertTrue(r > 150 && g < 90 && b < 90, "red: " + css);
  }

  @Test
  void theRenderedPagePassesTheNuHtmlChecker() {
    assertEquals(List.of(), HtmlValidator.problems(browser.renderedHtml()));
  }

  /**
   * What the README's nginx example does: the page under a path, the daemon on loopback behind it.
   */
  @Test
  void behindAReverseProxyUnderAPathPrefix() throws Exception {
    com.sun.net.httpserver.HttpServer proxy =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 4);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    proxy.createContext(
        "/xrootdrestart/",
        exchange -> {
          try (exchange) {
            String path = exchange.getRequestURI().getPath().substring("/xrootdrestart".length());
            var r =
                http.send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            r.headers()
                .map()
                .forEach(
                    (k, v) -> {
                      if (!k.equalsIgnoreCase("content-length")
                          && !k.equalsIgnoreCase("date")
                          && !k.equals(":status")) {
                        exchange.getResponseHeaders().put(k, v);
                      }
                    });
            exchange.sendResponseHeaders(r.statusCode(), r.body().length);
            exchange.getResponseBody().write(r.body());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    proxy.start();
    try {
      browser.open("http://127.0.0.1:" + proxy.getAddress().getPort() + "/xrootdrestart/");
      browser.await(
          "the rotation through the proxy",
          10,
          d -> browser.all("tr[data-server=lab2]").size() == 1);
      assertTrue(browser.text("#connection").startsWith("Live"), browser.text("#connection"));
    } finally {
      proxy.stop(0);
    }
  }

  @Test
  void usableAt360PixelsWideWithNothingOverflowing() {
    assertEquals(List.of(), browser.overflowAt(360, "phone-360px"));
    assertTrue(
        browser.all("tr[data-server=lab2]").get(0).isDisplayed(),
        "the servers are there, as cards");
    assertEquals(
        "block", browser.style("tr[data-server=lab2]", "display"), "as cards, not a table");
  }
}
