package io.xrootdrestart.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.HTTPServer;
import io.xrootdrestart.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP server on {@code metrics_bind:metrics_port}: {@code /metrics} for Prometheus,
 * {@code /-/healthy}, {@code /status} (the JSON of {@code status --json} with the live view of each
 * rotation), where alerts link to, and the status page at {@code /} ({@link StatusPage}), which
 * polls it.
 */
public final class MetricsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final HTTPServer server;

  private MetricsServer(HTTPServer server) {
    this.server = server;
  }

  /**
   * Listens, or fails with a message naming the key when the address is taken or wrong (exit 2).
   */
  public static MetricsServer start(
      String bind, int port, CollectorRegistry registry, Supplier<Object> status) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(bind, port), 16);
    } catch (IOException e) {
      throw new BadInputException(
          "metrics_port: cannot listen on "
              + bind
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "); is another daemon or program using it? Set metrics_port or metrics_bind.");
    }
    http.createContext("/status", exchange -> status(exchange, status));
    try {
      MetricsServer s =
          new MetricsServer(
              new HTTPServer.Builder()
                  .withHttpServer(http)
                  .withRegistry(registry)
                  .withDaemonThreads(true)
                  .build());
      // simpleclient serves the metrics at / too; / is the status page instead (Prometheus asks
      // /metrics).
      http.removeContext("/");
      http.createContext("/", new StatusPage());
      LOG.info("serving the status page, /status and /metrics on http://{}:{}/", bind, s.port());
      return s;
    } catch (IOException e) {
      http.stop(0);
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void status(HttpExchange exchange, Supplier<Object> status) throws IOException {
    try (exchange) {
      byte[] body;
      int code = 200;
      try {
        body = JSON.writeValueAsBytes(status.get());
      } catch (RuntimeException e) {
        code = 500;
        body = JSON.writeValueAsBytes(java.util.Map.of("error", e.toString()));
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(code, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.close();
  }
}
