package io.xrootdrestart.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real Prometheus, Alertmanager and Pushgateway from Debian's packages, started on free
 * loopback ports by {@code Monitoring/local} for one test class and stopped after it. Prometheus
 * scrapes {@link #daemonPort()} every second and evaluates the shipped rules every second, with
 * every {@code for:} cut to 0 s so that a rule fires as soon as its expression holds. Failing to
 * start fails the class.
 */
public final class Monitoring implements BeforeAllCallback, AfterAllCallback {
  public static final Path SCRIPT = Path.of("Monitoring/local").toAbsolutePath();
  public static final Path RULES =
      Path.of("Monitoring/rules/xrootdrestart.rules.yml").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OkHttpClient http = new OkHttpClient();
  private final int daemonPort = Ports.free();
  private final Map<String, Integer> ports =
      Map.of("prometheus", Ports.free(), "alertmanager", Ports.free(), "pushgateway", Ports.free());
  private Path dir;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("xrootdrestart-monitoring-");
    Path rules = dir.resolve("rules.yml");
    JsonNode tree = new YAMLMapper().readTree(RULES.toFile());
    for (JsonNode group : tree.path("groups")) {
      ((ObjectNode) group).put("interval", "1s");
      for (JsonNode rule : group.path("rules")) {
        if (rule.has("for")) {
          ((ObjectNode) rule).put("for", "0s");
        }
      }
    }
    new YAMLMapper().writeValue(rules.toFile(), tree);
    Map<String, String> env = new HashMap<>(env());
    env.put("RULES_FILE", rules.toString());
    Lab.Result r = Lab.run(env, SCRIPT.toString(), "start");
    if (r.code() != 0) {
      throw new IllegalStateException("Monitoring/local start failed:\n" + r.out());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Lab.run(env(), SCRIPT.toString(), "stop");
  }

  private Map<String, String> env() {
    return Map.of(
        "MONITORING_DIR",
        dir.toString(),
        "PROM_PORT",
        "" + ports.get("prometheus"),
        "AM_PORT",
        "" + ports.get("alertmanager"),
        "PUSHGW_PORT",
        "" + ports.get("pushgateway"),
        "SCRAPE_TARGET",
        "127.0.0.1:" + daemonPort,
        "SCRAPE_INTERVAL",
        "1s");
  }

  /** Stops one of prometheus, alertmanager, pushgateway. */
  public void stop(String component) {
    check(Lab.run(env(), SCRIPT.toString(), "stop", component));
  }

  public void start(String component) {
    check(Lab.run(env(), SCRIPT.toString(), "start", component));
  }

  private static void check(Lab.Result r) {
    if (r.code() != 0) {
      throw new IllegalStateException("Monitoring/local failed:\n" + r.out());
    }
  }

  /** The port Prometheus scrapes: give it to the daemon as metrics_port. */
  public int daemonPort() {
    return daemonPort;
  }

  public String url(String component) {
    return "http://127.0.0.1:" + ports.get(component);
  }

  public JsonNode get(String component, String pathAndQuery) {
    HttpUrl url = HttpUrl.get(url(component) + pathAndQuery);
    try (Response r = http.newCall(new Request.Builder().url(url).build()).execute()) {
      if (!r.isSuccessful()) {
        throw new IllegalStateException(url + " answered " + r.code());
      }
      return JSON.readTree(r.body().string());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String text(String component, String path) {
    try (Response r =
        http.newCall(new Request.Builder().url(url(component) + path).build()).execute()) {
      return r.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Alertmanager's active alerts named {@code alertname}. */
  public List<JsonNode> alertmanagerAlerts(String alertname) {
    JsonNode all = get("alertmanager", "/api/v2/alerts?active=true&silenced=false&inhibited=false");
    List<JsonNode> out = new java.util.ArrayList<>();
    all.forEach(
        a -> {
          if (a.at("/labels/alertname").asText().equals(alertname)) {
            out.add(a);
          }
        });
    return out;
  }

  /**
   * Posts firing alerts to Alertmanager, as a site's Prometheus would: each one its labels, started
   * a few seconds ago, ending in ten minutes.
   */
  public void fire(List<Map<String, String>> alerts) {
    com.fasterxml.jackson.databind.node.ArrayNode body = JSON.createArrayNode();
    for (Map<String, String> labels : alerts) {
      ObjectNode a = body.addObject();
      ObjectNode l = a.putObject("labels");
      labels.forEach(l::put);
      a.put("startsAt", java.time.Instant.now().minusSeconds(5).toString());
      a.put("endsAt", java.time.Instant.now().plusSeconds(600).toString());
    }
    try {
      Request r =
          new Request.Builder()
              .url(url("alertmanager") + "/api/v2/alerts")
              .post(
                  okhttp3.RequestBody.create(
                      JSON.writeValueAsBytes(body), okhttp3.MediaType.get("application/json")))
              .build();
      try (Response response = http.newCall(r).execute()) {
        if (!response.isSuccessful()) {
          throw new IllegalStateException("Alertmanager refused the alerts: " + response);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "alertname/instance: state" (active, suppressed) of every alert Alertmanager has, sorted. */
  public List<String> alertStates() {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode a : get("alertmanager", "/api/v2/alerts")) {
      out.add(
          a.at("/labels/alertname").asText()
              + "/"
              + a.at("/labels/instance").asText()
              + ": "
              + a.at("/status/state").asText());
    }
    out.sort(null);
    return out;
  }

  /** The silences {@code createdBy} made that are in {@code state} (active, expired, pending). */
  public List<JsonNode> silences(String createdBy, String state) {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode s : get("alertmanager", "/api/v2/silences")) {
      if (s.path("createdBy").asText().equals(createdBy)
          && s.at("/status/state").asText().equals(state)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Waits until {@code test} holds for what {@code probe} returns; fails after {@code seconds}. */
  public static <T> T await(
      String what, int seconds, java.util.function.Supplier<T> probe, Predicate<T> test)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    T last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = probe.get();
        if (test.test(last)) {
          return last;
        }
      } catch (RuntimeException e) {
        last = null;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not within " + seconds + " s: " + what + "; last seen: " + last);
  }
}
