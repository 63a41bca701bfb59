package io.xrootdrestart.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrometheusAlertsTest {
  private static final String ALERTS =
      """
      {"status":"success","data":{"alerts":[
        {"labels":{"alertname":"DiskFull","severity":"critical"},"state":"firing"},
        {"labels":{"alertname":"DiskAlmostFull"},"state":"pending"},
        {"labels":{"alertname":"XROOTDRESTART_RESTART_ERROR"},"state":"firing"},
        {"labels":{"alertname":"NetworkDown"},"state":"firing"}]}}
      """;

  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private PrometheusAlerts client(String path) {
    return new PrometheusAlerts(URI.create(server.url(path).toString()), new OkHttpClient());
  }

  @Test
  void firingMatchingAlertsOtherThanOurOwn() throws Exception {
    server.enqueue(new MockResponse.Builder().body(ALERTS).build());
    assertEquals(List.of("DiskFull"), client("/").matching(Pattern.compile("Disk|XROOTDRESTART")));
    RecordedRequest r = server.takeRequest();
    assertEquals("/api/v1/alerts", r.getUrl().encodedPath());
  }

  @Test
  void aPrometheusBehindAPathPrefixWorks() throws Exception {
    server.enqueue(new MockResponse.Builder().body(ALERTS).build());
    assertEquals(
        List.of("NetworkDown"), client("/prometheus").matching(Pattern.compile("Network")));
    assertEquals("/prometheus/api/v1/alerts", server.takeRequest().getUrl().encodedPath());
  }

  @Test
  void notKnowingHolds() {
    server.enqueue(new MockResponse.Builder().code(503).build());
    List<String> r = client("/").matching(Pattern.compile("."));
    assertEquals(1, r.size());
    assertTrue(r.get(0).contains("answered HTTP 503"), r.toString());
  }
}
