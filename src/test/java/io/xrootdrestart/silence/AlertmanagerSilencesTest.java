package io.xrootdrestart.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.xrootdrestart.alerts.AlertAuth;
import io.xrootdrestart.testing.Monitoring;
import io.xrootdrestart.testing.UsesTools;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Silences against the real Alertmanager (Debian's): a site's alert about the server being
 * restarted is silenced, another server's and the daemon's own are not, and it fires again once the
 * silence is expired.
 */
@UsesTools
class AlertmanagerSilencesTest {
  @RegisterExtension static final Monitoring MONITORING = new Monitoring();
  private final OkHttpClient http = new OkHttpClient();

  @Test
  void theTargetsOwnAlertsAreSilencedDuringItsRestartAndFireAgainAfter() throws Exception {
    MONITORING.fire(
        List.of(
            Map.of("alertname", "NodeDown", "instance", "lab1.example.org:9100"),
            Map.of("alertname", "NodeDown", "instance", "lab11.example.org:9100"),
            Map.of(
                "alertname",
                "XROOTDRESTART_RESTART_ERROR",
                "instance",
                "lab1.example.org",
                "service",
                "xrootdrestart")));
    List<String> failures = new ArrayList<>();
    NodeSilences silences =
        new NodeSilences(
            Matcher.parseAll("instance=~\"{node}(:[0-9]+)?\""),
            new AlertmanagerSilences(
                URI.create(MONITORING.url("alertmanager")), http, AlertAuth.NONE, "lab"),
            Clock.systemUTC(),
            (node, what) -> failures.add(node + ": " + what));
    NodeSilences.Held held =
        silences.start("lab1.example.org", Duration.ofMinutes(2)).orElseThrow();
    List<String> silenced =
        List.of(
            "NodeDown/lab1.example.org:9100: suppressed",
            "NodeDown/lab11.example.org:9100: active",
            "XROOTDRESTART_RESTART_ERROR/lab1.example.org: active");
    Monitoring.await(
        "lab1's site alert silenced, and only it", 10, MONITORING::alertStates, silenced::equals);

    NodeSilences.Held later = silences.extend(held, Duration.ofMinutes(5));
    JsonNode s = MONITORING.get("alertmanager", "/api/v2/silence/" + later.id());
    assertEquals("active", s.at("/status/state").asText(), s.toString());
    assertTrue(
        Instant.parse(s.path("endsAt").asText()).isAfter(Instant.now().plusSeconds(240)),
        "extended: " + s);
    assertEquals("xrootdrestart", s.path("createdBy").asText());
    assertEquals(silenced, MONITORING.alertStates(), "still silenced after the extension");

    assertTrue(silences.expire("lab1.example.org", later.id()));
    Monitoring.await(
        "lab1's alert firing again",
        10,
        MONITORING::alertStates,
        st -> st.contains("NodeDown/lab1.example.org:9100: active"));
    assertTrue(
        silences.expire("lab1.example.org", later.id()), "expiring it again is not a failure");
    assertEquals(List.of(), failures);
  }

  private NodeSilences silences(String cluster, List<String> failures) {
    return new NodeSilences(
        Matcher.parseAll("instance=\"{node}\""),
        new AlertmanagerSilences(
            URI.create(MONITORING.url("alertmanager")), http, AlertAuth.NONE, cluster),
        Clock.systemUTC(),
        (node, what) -> failures.add(node + ": " + what));
  }

  @Test
  void atStartTheSilencesAnEarlierRunOfTheClusterLeftAreExpiredAndNoOthers() throws Exception {
    List<String> failures = new ArrayList<>();
    String left =
        silences("lab", failures).start("lab2", Duration.ofMinutes(10)).orElseThrow().id();
    String others =
        silences("other", failures).start("lab3", Duration.ofMinutes(10)).orElseThrow().id();
    silences("lab", failures).expireLeftovers(); // a new daemon of cluster lab starts
    assertEquals(
        "expired",
        MONITORING.get("alertmanager", "/api/v2/silence/" + left).at("/status/state").asText());
    assertEquals(
        "active",
        MONITORING.get("alertmanager", "/api/v2/silence/" + others).at("/status/state").asText(),
        "another cluster's daemon's silence is not ours");
    silences("other", failures).expire("lab3", others);
    assertEquals(List.of(), failures);
  }

  @Test
  void alertmanagerDownIsReportedAndNothingThrows() throws Exception {
    List<String> failures = new ArrayList<>();
    NodeSilences silences =
        new NodeSilences(
            Matcher.parseAll("instance=\"{node}\""),
            new AlertmanagerSilences(URI.create("http://127.0.0.1:9"), http, AlertAuth.NONE, "lab"),
            Clock.systemUTC(),
            (node, what) -> failures.add(node + ": " + what));
    assertTrue(silences.start("lab1", Duration.ofMinutes(1)).isEmpty());
    assertTrue(!silences.expire("lab1", "0123"));
    assertEquals(
        List.of("lab1: creating its silence", "lab1: expiring its silence 0123"), failures);
  }
}
