package io.xrootdrestart.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.guard.Decision;
import io.xrootdrestart.guard.FleetHealth;
import io.xrootdrestart.guard.ServerHealth;
import io.xrootdrestart.restart.RestartResult;
import io.xrootdrestart.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert payloads, re-send, resolve, the outbox on disk and its order, and auth, against
 * MockWebServer.
 */
class AlertDeliveryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-11-21T03:00:00Z");
  private static final Duration RESEND = Duration.ofSeconds(60);

  @TempDir Path state;

  private final MockWebServer server = new MockWebServer();
  private final MutableClock clock = new MutableClock(T0);
  private AlertSender sender;

  @BeforeEach
  void start() throws Exception {
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (sender != null) {
      sender.close(Duration.ZERO);
    }
    server.close();
  }

  private AlertmanagerClient client(AlertAuth auth) {
    return new AlertmanagerClient(
        server.url("/am").uri(),
        new OkHttpClient(),
        auth,
        "lab",
        java.net.URI.create("http://controller.example.org:8000/status"),
        RESEND,
        clock);
  }

  private AlertBook book() {
    return AlertBook.open(state, clock, true);
  }

  /** The backoffs the sender waited out, on the fake clock: no test sleeps. */
  private final java.util.List<Duration> backoffs = new java.util.ArrayList<>();

  /**
   * A sender on this test's thread: each delivery round runs when the test asks for the next post.
   */
  private void send(AlertBook book, AlertAuth auth) {
    sender =
        new AlertSender(
            book,
            client(auth),
            Duration.ofSeconds(2),
            clock,
            t -> {
              backoffs.add(Duration.between(clock.instant(), t));
              clock.advanceTo(t);
              return true;
            });
  }

  private JsonNode nextPost() throws Exception {
    for (int i = 0; i < 10 && sender.round(Duration.ZERO); i++) {
      // deliver what waits, backing off on the fake clock after a failure
    }
    RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
    assertTrue(r != null, "no request reached the Alertmanager");
    assertEquals("POST", r.getMethod());
    assertEquals("/am/api/v2/alerts", r.getUrl().encodedPath());
    return JSON.readTree(r.getBody().utf8());
  }

  private static RestartResult failed(String step, String message) {
    return new RestartResult(
        RestartResult.Status.FAILED,
        Optional.of(step),
        message,
        Optional.of(Path.of("/var/lib/xrootdrestart/runs/20261121T030000-lab2-drain")),
        false);
  }

  private static void awaitEmpty(AlertBook book) {
    assertEquals(0, book.pending(), "the outbox did not empty");
  }

  @Test
  void aFailedRestartFiresWithLabelsAnnotationsAndEndsAtAhead() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    AlertBook book = book();
    new AlertConditions(book, clock)
        .restartFailed("lab2", failed("drain: Stop cmsd@cluster", "unit failed to stop"));
    send(book, AlertAuth.NONE);
    JsonNode a = nextPost();
    assertEquals(1, a.size());
    JsonNode alert = a.get(0);
    assertEquals(
        Map.of(
            "alertname",
            "XROOTDRESTART_RESTART_ERROR",
            "severity",
            "critical",
            "node",
            "lab2",
            "cluster",
            "lab",
            "service",
            "xrootdrestart"),
        JSON.convertValue(alert.get("labels"), Map.class));
    assertEquals("xrootdrestart could not restart lab2", alert.at("/annotations/summary").asText());
    assertEquals(
        "drain: Stop cmsd@cluster: unit failed to stop",
        alert.at("/annotations/description").asText());
    assertEquals(
        "/var/lib/xrootdrestart/runs/20261121T030000-lab2-drain",
        alert.at("/annotations/run_dir").asText());
    assertEquals(T0.toString(), alert.get("startsAt").asText());
    assertEquals(T0.plus(RESEND.multipliedBy(4)).toString(), alert.get("endsAt").asText());
    assertEquals("http://controller.example.org:8000/status", alert.get("generatorURL").asText());
    awaitEmpty(book);
  }

  @Test
  void reSentWithTheSameStartThenResolvedWithEndsAtNow() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse.Builder().code(200).build());
    }
    AlertBook book = book();
    AlertConditions conditions = new AlertConditions(book, clock);
    conditions.restartFailed(
        "lab2",
        new RestartResult(
            RestartResult.Status.UNREACHABLE,
            Optional.empty(),
            "ssh: connect to host lab2: No route to host",
            Optional.empty(),
            true));
    send(book, AlertAuth.NONE);
    assertEquals("XROOTDRESTART_CONNECT_ERROR", nextPost().at("/0/labels/alertname").asText());
    awaitEmpty(book);

    clock.advance(RESEND);
    book.refresh();
    JsonNode again = nextPost().get(0);
    assertEquals(T0.toString(), again.get("startsAt").asText(), "a re-send is the same alert");
    assertEquals(
        T0.plus(RESEND).plus(RESEND.multipliedBy(4)).toString(), again.get("endsAt").asText());
    awaitEmpty(book);

    clock.advance(Duration.ofSeconds(7));
    conditions.restartSucceeded("lab2", RestartResult.success("both units active"));
    JsonNode resolved = nextPost().get(0);
    assertEquals(T0.toString(), resolved.get("startsAt").asText());
    assertEquals(clock.instant().toString(), resolved.get("endsAt").asText());
    awaitEmpty(book);
    assertTrue(book.firing().isEmpty());
  }

  @Test
  void theOutboxSurvivesARestartKeepsItsOrderAndHoldsOneDeliveryPerAlert() throws Exception {
    AlertBook book = AlertBook.open(state, clock, true); // no sender: Alertmanager "down"
    AlertConditions conditions = new AlertConditions(book, clock);
    conditions.restartFailed("lab1", failed("cycle: Start xrootd@cluster", "start failed"));
    clock.advance(Duration.ofSeconds(1));
    conditions.guardHeld(
        "lab2", new Decision.Hold(true, "only 0 servers other than lab2 healthy, min_ok is 1"));
    clock.advance(Duration.ofSeconds(1));
    conditions.restartSucceeded(
        "lab1", RestartResult.success("")); // resolves lab1: replaces its firing delivery
    assertEquals(2, book.pending());

    AlertBook reopened = AlertBook.open(state, clock, true); // the daemon restarts
    assertEquals(2, reopened.pending());
    assertEquals(1, reopened.firing().size());
    server.enqueue(new MockResponse.Builder().code(200).build());
    send(reopened, AlertAuth.NONE);
    JsonNode batch = nextPost();
    assertEquals(2, batch.size(), batch.toString());
    assertEquals("XROOTDRESTART_INSUFFICIENT_SERVERS", batch.at("/0/labels/alertname").asText());
    assertFalse(batch.at("/0/labels").has("node"), "the insufficient alert has no node");
    assertEquals("XROOTDRESTART_RESTART_ERROR", batch.at("/1/labels/alertname").asText());
    assertEquals(
        T0.plusSeconds(2).toString(),
        batch.at("/1/endsAt").asText(),
        "resolved when it was resolved");
    awaitEmpty(reopened);
    JsonNode onDisk = JSON.readTree(state.resolve("alerts.json").toFile());
    assertEquals(0, onDisk.get("outbox").size());
    assertEquals(1, onDisk.get("firing").size());
  }

  @Test
  void anAlertmanagerThatFailsIsRetriedUntilItAccepts() throws Exception {
    server.enqueue(new MockResponse.Builder().code(503).body("not ready").build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    AlertBook book = book();
    new AlertConditions(book, clock)
        .restartFailed("lab3", failed("cycle: Stop xrootd@cluster", "timeout"));
    send(book, AlertAuth.NONE);
    JsonNode first = nextPost();
    JsonNode second = nextPost();
    assertEquals(first.at("/0/labels"), second.at("/0/labels"));
    assertEquals(first.at("/0/startsAt"), second.at("/0/startsAt"));
    awaitEmpty(book);
    assertEquals(1, sender.failures());
    assertEquals(
        java.util.List.of(Duration.ofSeconds(1)),
        backoffs,
        "one backoff of 1 s, on the sender's clock");
  }

  @Test
  void theBackoffDoublesUpToItsMaximum() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(new MockResponse.Builder().code(503).build());
    }
    server.enqueue(new MockResponse.Builder().code(200).build());
    AlertBook book = book();
    new AlertConditions(book, clock)
        .restartFailed("lab3", failed("cycle: Stop xrootd@cluster", "timeout"));
    send(book, AlertAuth.NONE);
    for (int i = 0; i < 5; i++) {
      nextPost();
    }
    awaitEmpty(book);
    assertEquals(
        java.util.List.of(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2)),
        backoffs,
        "1 s, doubling, capped at the 2 s this sender was given");
    assertEquals(4, sender.failures());
  }

  @Test
  void basicAuthAndBearerTokenComeFromFiles() throws Exception {
    Path password = Files.writeString(state.resolve("password"), "s3cret\n");
    Path token = Files.writeString(state.resolve("token"), "tok-123\n");
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    Delivery d =
        new Delivery(
            1,
            new Alert(
                AlertName.INSUFFICIENT_SERVERS, Optional.empty(), T0, "s", "d", Optional.empty()),
            Optional.empty());
    client(new AlertAuth.Basic("am-user", password)).post(java.util.List.of(d));
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString("am-user:s3cret".getBytes()),
        server.takeRequest().getHeaders().get("Authorization"));
    client(new AlertAuth.Bearer(token)).post(java.util.List.of(d));
    assertEquals("Bearer tok-123", server.takeRequest().getHeaders().get("Authorization"));
  }

  @Test
  void noSecretAppearsInWhatIsLoggedWhenAlertmanagerRefuses() throws Exception {
    Path password = Files.writeString(state.resolve("password"), "file-s3cret\n");
    server.enqueue(new MockResponse.Builder().code(503).body("not ready").build());
    java.net.URI withUser =
        server.url("/am").newBuilder().username("am-user").password("url-s3cret").build().uri();
    AlertAuth auth = new AlertAuth.Basic("am-user", password);
    AlertmanagerClient c =
        new AlertmanagerClient(
            withUser,
            new OkHttpClient(),
            auth,
            "lab",
            java.net.URI.create("http://controller.example.org:8000/status"),
            RESEND,
            clock);
    Delivery d =
        new Delivery(
            1,
            new Alert(
                AlertName.INSUFFICIENT_SERVERS, Optional.empty(), T0, "s", "d", Optional.empty()),
            Optional.empty());
    java.io.IOException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            java.io.IOException.class, () -> c.post(java.util.List.of(d)));
    assertEquals(
        "Basic " + Base64.getEncoder().encodeToString("am-user:file-s3cret".getBytes()),
        server.takeRequest().getHeaders().get("Authorization"),
        "the secret was used, so it could have leaked");
    assertTrue(
        e.getMessage().contains("503") && e.getMessage().contains(server.url("/am").host()),
        e.getMessage());
    for (String shown : java.util.List.of(e.getMessage(), c.url(), auth.toString())) {
      assertFalse(shown.contains("s3cret"), shown);
    }
  }

  @Test
  void healthChecksResolveTheConnectErrorAndTheGuardTheInsufficientAlert() {
    AlertBook book = book();
    AlertConditions conditions = new AlertConditions(book, clock);
    conditions.healthChecked(
        new FleetHealth(
            Map.of(
                "lab1",
                ServerHealth.unknown("lab1", "unreachable: timed out"),
                "lab2",
                ServerHealth.of("lab2", "active", "failed"))));
    assertTrue(book.fires(AlertName.CONNECT_ERROR, Optional.of("lab1")));
    assertFalse(book.fires(AlertName.CONNECT_ERROR, Optional.of("lab2")));
    conditions.guardHeld("lab2", new Decision.Hold(true, "too few"));
    assertTrue(book.fires(AlertName.INSUFFICIENT_SERVERS, Optional.empty()));
    conditions.healthChecked(
        new FleetHealth(Map.of("lab1", ServerHealth.of("lab1", "active", "active"))));
    assertFalse(book.fires(AlertName.CONNECT_ERROR, Optional.of("lab1")));
    conditions.guardPassed("lab2", 1, 1);
    assertFalse(book.fires(AlertName.INSUFFICIENT_SERVERS, Optional.empty()));
  }

  @Test
  void eachRotationHasItsOwnInsufficientAlertAndEveryAlertNamesItsRotation() throws Exception {
    AlertBook book = book();
    AlertConditions east = new AlertConditions(book, clock, "east");
    AlertConditions west = new AlertConditions(book, clock, "west");
    east.guardHeld("lab1", new Decision.Hold(true, "too few"));
    west.guardHeld("lab4", new Decision.Hold(true, "too few"));
    west.guardPassed("lab4", 2, 1);
    assertTrue(book.fires(AlertName.INSUFFICIENT_SERVERS, Optional.empty(), "east"));
    assertFalse(book.fires(AlertName.INSUFFICIENT_SERVERS, Optional.empty(), "west"));
    west.restartFailed("lab4", failed("drain: Stop cmsd@cluster", "x"));
    server.enqueue(new MockResponse.Builder().code(200).build());
    client(AlertAuth.NONE).post(book.awaitPending(java.time.Duration.ZERO));
    JsonNode posted = JSON.readTree(server.takeRequest().getBody().utf8());
    java.util.List<String> sent = new java.util.ArrayList<>();
    for (JsonNode a : posted) {
      sent.add(
          a.at("/labels/alertname").asText()
              + " "
              + a.at("/labels/node").asText("-")
              + " "
              + a.at("/labels/rotation").asText()
              + (a.get("endsAt").asText().equals(a.get("startsAt").asText()) ? " resolved" : ""));
    }
    assertEquals(
        java.util.List.of(
            "XROOTDRESTART_INSUFFICIENT_SERVERS - east",
            "XROOTDRESTART_INSUFFICIENT_SERVERS - west resolved",
            "XROOTDRESTART_RESTART_ERROR lab4 west"),
        sent);
  }

  @Test
  void withoutAlertUrlAlertsAreKeptButNothingIsQueued() {
    AlertBook book = AlertBook.open(state, clock, false);
    new AlertConditions(book, clock).restartFailed("lab2", failed("drain: Stop cmsd@cluster", "x"));
    assertEquals(1, book.firing().size());
    assertEquals(0, book.pending());
  }
}
