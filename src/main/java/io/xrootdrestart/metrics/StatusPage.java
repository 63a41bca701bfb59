package io.xrootdrestart.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The status page at {@code /}: one HTML file, its style sheet and its script, packed in the jar.
 * The script polls {@code /status}; nothing here changes anything (GET and HEAD only). The
 * Content-Security-Policy lets the page load nothing but these files and {@code /status}: no
 * external fonts, scripts or images, and no inline script an injected message could smuggle in.
 */
final class StatusPage implements HttpHandler {
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
          + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private record Asset(String type, byte[] body) {}

  private static final Map<String, Asset> ASSETS =
      Map.of(
          "/", asset("index.html", "text/html; charset=utf-8"),
          "/page.css", asset("page.css", "text/css; charset=utf-8"),
          "/page.js", asset("page.js", "text/javascript; charset=utf-8"));

  private static Asset asset(String name, String type) {
    try (InputStream in = StatusPage.class.getResourceAsStream("page/" + name)) {
      if (in == null) {
        throw new IllegalStateException("page/" + name + " is missing from the jar");
      }
      return new Asset(type, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page's files by path, for tests. */
  static byte[] file(String path) {
    return ASSETS.get(path).body();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Asset asset = ASSETS.get(exchange.getRequestURI().getPath());
      var headers = exchange.getResponseHeaders();
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      if (!method.equals("GET") && !method.equals("HEAD")) {
        headers.set("Allow", "GET, HEAD");
        reply(
            exchange,
            405,
            "text/plain; charset=utf-8",
            "read only: GET or HEAD\n".getBytes(StandardCharsets.UTF_8));
      } else if (asset == null) {
        reply(
            exchange,
            404,
            "text/plain; charset=utf-8",
            "not found; the status page is /, its data /status, the metrics /metrics\n"
                .getBytes(StandardCharsets.UTF_8));
      } else {
        headers.set("Content-Security-Policy", CSP);
        headers.set("Cache-Control", "no-cache"); // a new jar's page is used at once
        reply(exchange, 200, asset.type(), asset.body());
      }
    }
  }

  private static void reply(HttpExchange exchange, int code, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
