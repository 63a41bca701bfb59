package io.xrootdrestart.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.xrootdrestart.testing.HtmlValidator;
import io.xrootdrestart.testing.UsesTools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The status page as files and HTTP: served at /, valid HTML, self-contained, read only. */
class StatusPageTest {
  static MetricsServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    CollectorRegistry registry = new CollectorRegistry(true);
    Gauge.build("xrootdrestart_heartbeat", "test").register(registry).set(1);
    server =
        MetricsServer.start("127.0.0.1", 0, registry, () -> Map.of("now", "2026-01-15T12:00:00Z"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> send(String method, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String page(String path) {
    return new String(StatusPage.file(path), StandardCharsets.UTF_8);
  }

  @Test
  void thePageItsStyleAndScriptAreServedWithAPolicyThatAllowsNothingElse() throws Exception {
    HttpResponse<String> index = send("GET", "/");
    assertEquals(200, index.statusCode());
    assertEquals("text/html; charset=utf-8", index.headers().firstValue("Content-Type").orElse(""));
    assertEquals(page("/"), index.body());
    String csp = index.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(
        csp.startsWith(
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"),
        csp);
    assertEquals(
        "text/css; charset=utf-8",
        send("GET", "/page.css").headers().firstValue("Content-Type").orElse(""));
    assertEquals(page("/page.js"), send("GET", "/page.js").body());
    assertEquals(404, send("GET", "/other").statusCode());
    assertEquals(200, send("HEAD", "/").statusCode());
  }

  @Test
  void itIsReadOnly() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      HttpResponse<String> r = send(method, "/");
      assertEquals(405, r.statusCode(), method);
      assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(""), method);
    }
  }

  @Test
  void theMetricsAndTheStatusStayWhereTheyWere() throws Exception {
    HttpResponse<String> metrics = send("GET", "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("xrootdrestart_heartbeat 1.0"), metrics.body());
    HttpResponse<String> status = send("GET", "/status");
    assertEquals("application/json", status.headers().firstValue("Content-Type").orElse(""));
    assertTrue(status.body().contains("\"now\" : \"2026-01-15T12:00:00Z\""), status.body());
    assertEquals(200, send("GET", "/-/healthy").statusCode());
  }

  @Test
  @UsesTools // the Nu checker loads its schemas: seconds
  void theHtmlPassesTheNuHtmlChecker() {
    assertEquals(List.of(), HtmlValidator.problems(page("/")));
  }

  @Test
  @UsesTools
  void theCheckerDoesFailBrokenHtml() {
    List<String> problems =
        HtmlValidator.problems(
            page("/")
                .replace("<main>", "<main><p><div>misnested</p>")
                .replace("<select id=\"window\">", "<select id=\"window\" id=\"again\">"));
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("No “p” element in scope")),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.contains("Duplicate attribute “id”")),
        problems.toString());
  }

  @Test
  void nothingIsLoadedFromElsewhereAndNoTextFromTheDaemonIsParsedAsHtml() {
    Pattern external =
        Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}|@import|@font-face|url\\(");
    for (String path : List.of("/", "/page.css", "/page.js")) {
      assertFalse(
          external.matcher(page(path)).find(), path + " refers to something outside the jar");
    }
    String js = page("/page.js");
    assertFalse(
        js.contains("innerHTML")
            || js.contains("outerHTML")
            || js.contains("insertAdjacentHTML")
            || js.contains("eval(")
            || js.contains("document.write"),
        "text goes in with textContent only");
    assertTrue(
        js.contains("fetch('status'"),
        "a relative URL: the page works behind a proxy's path prefix");
  }
}
