package io.xrootdrestart.remedy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.HTTPServer;
import io.xrootdrestart.testing.Monitoring;
import io.xrootdrestart.testing.Ports;
import io.xrootdrestart.testing.UsesTools;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * restart_when against the real Prometheus, over a metric the test serves and sets: the servers its
 * series name, a port cut off; an expression Prometheus refuses, or a Prometheus that is down, is a
 * failed query, never a server due.
 */
@UsesTools
class RestartWhenPrometheusTest {
  @RegisterExtension static final Monitoring MONITORING = new Monitoring();

  static final CollectorRegistry REGISTRY = new CollectorRegistry();
  static final Gauge NEEDS =
      Gauge.build("site_needs_restart", "A site's own condition, set by the test.")
          .labelNames("node")
          .register(REGISTRY);
  static HTTPServer scraped;

  @BeforeAll
  static void serve() throws Exception {
    NEEDS.labels("lab1:1094").set(0);
    NEEDS.labels("lab2:1094").set(1);
    scraped =
        new HTTPServer.Builder()
            .withInetSocketAddress(new InetSocketAddress("127.0.0.1", MONITORING.daemonPort()))
            .withRegistry(REGISTRY)
            .build();
  }

  @AfterAll
  static void stop() {
    scraped.close();
  }

  RestartWhen when(String expression, String label) {
    return new PrometheusRestartWhen(
        URI.create(MONITORING.url("prometheus")), expression, label, new OkHttpClient());
  }

  /** Asks until the answer is {@code expected} (Prometheus scrapes every second), at most 20 s. */
  static Set<String> awaitAnswer(RestartWhen w, Set<String> expected) throws Exception {
    return Monitoring.await(
        "restart_when to answer " + expected,
        20,
        () -> {
          try {
            return w.ask();
          } catch (RestartWhen.QueryFailedException e) {
            return Set.of("failed: " + e.getMessage());
          }
        },
        expected::equals);
  }

  @Test
  void theServersItsSeriesNameAreDueAndFollowTheMetric() throws Exception {
    RestartWhen byNode = when("site_needs_restart == 1", "node");
    assertEquals(Set.of("lab2"), awaitAnswer(byNode, Set.of("lab2")));
    NEEDS.labels("lab1:1094").set(1);
    NEEDS.labels("lab2:1094").set(0);
    assertEquals(Set.of("lab1"), awaitAnswer(byNode, Set.of("lab1")));
    NEEDS.labels("lab1:1094").set(0);
    assertEquals(Set.of(), awaitAnswer(byNode, Set.of()), "no series: nobody is due");
    NEEDS.labels("lab2:1094").set(1);
    RestartWhen byInstance =
        when(
            "label_replace(site_needs_restart == 1, \"instance\", \"$1\", \"node\", \"(.*)\")",
            "instance");
    assertEquals(Set.of("lab2"), awaitAnswer(byInstance, Set.of("lab2")), "the default label");
  }

  @Test
  void anExpressionPrometheusRefusesIsAFailedQuery() {
    RestartWhen.QueryFailedException e =
        assertThrows(
            RestartWhen.QueryFailedException.class,
            () -> when("site_needs_restart ==", "node").ask());
    assertTrue(e.getMessage().contains("HTTP 400"), e.getMessage());
    e =
        assertThrows(
            RestartWhen.QueryFailedException.class, () -> when("scalar(vector(1))", "node").ask());
    assertTrue(e.getMessage().contains("not an instant vector"), e.getMessage());
  }

  @Test
  void aPrometheusThatIsDownIsAFailedQuery() {
    RestartWhen down =
        new PrometheusRestartWhen(
            URI.create("http://127.0.0.1:" + Ports.free()), "up", "instance", new OkHttpClient());
    RestartWhen.QueryFailedException e =
        assertThrows(RestartWhen.QueryFailedException.class, down::ask);
    assertTrue(e.getMessage().startsWith("cannot ask Prometheus"), e.getMessage());
  }
}
