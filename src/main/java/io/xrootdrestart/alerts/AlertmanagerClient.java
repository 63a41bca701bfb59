package io.xrootdrestart.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts alerts to Alertmanager's v2 API ({@code POST <alert_url>/api/v2/alerts}). A firing alert is
 * sent with {@code endsAt} four re-send intervals ahead, so Alertmanager keeps it while the daemon
 * keeps re-sending, and resolves it by itself only if the daemon goes silent; a resolved one with
 * {@code endsAt} = when it was resolved. {@code endsAt} is computed when sent, so a delivery that
 * waited in the outbox is still right.
 */
public final class AlertmanagerClient {
  static final String SERVICE = "xrootdrestart";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final HttpUrl url;
  private final OkHttpClient http;
  private final AlertAuth auth;
  private final String cluster;
  private final String generatorUrl;
  private final Duration validFor;
  private final Clock clock;

  /**
   * @param generatorUrl where the alert links to: the daemon's status page
   * @param resend how often firing alerts are re-sent (alert_resend)
   */
  public AlertmanagerClient(
      URI alertUrl,
      OkHttpClient http,
      AlertAuth auth,
      String cluster,
      URI generatorUrl,
      Duration resend,
      Clock clock) {
    this.url =
        HttpUrl.get(alertUrl.toString()).newBuilder().addPathSegments("api/v2/alerts").build();
    this.http = AlertmanagerHttp.bounded(http);
    this.auth = auth;
    this.cluster = cluster;
    this.generatorUrl = generatorUrl.toString();
    this.validFor = resend.multipliedBy(4);
    this.clock = clock;
  }

  /** The endpoint, without any user or password in it, for logs and messages. */
  public String url() {
    return AlertmanagerHttp.shown(url);
  }

  /** Posts the batch; returns normally only if Alertmanager accepted it (2xx). */
  public void post(List<Delivery> batch) throws IOException {
    ArrayNode body = JSON.createArrayNode();
    Instant now = clock.instant();
    batch.forEach(d -> body.add(payload(d, now)));
    Request.Builder request =
        new Request.Builder()
            .url(url)
            .post(RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE));
    auth.header().ifPresent(h -> request.header("Authorization", h));
    try (Response response = http.newCall(request.build()).execute()) {
      if (!response.isSuccessful()) {
        throw AlertmanagerHttp.refused(url, response.code(), response.body().string());
      }
    }
  }

  /** One alert as Alertmanager's v2 API takes it (a {@code postableAlert}). */
  ObjectNode payload(Delivery d, Instant now) {
    Alert a = d.alert();
    ObjectNode n = JSON.createObjectNode();
    ObjectNode labels = n.putObject("labels");
    labels.put("alertname", a.name().label());
    labels.put("severity", "critical");
    a.node().ifPresent(node -> labels.put("node", node));
    labels.put("cluster", cluster);
    if (!a.rotation().isEmpty()) {
      labels.put("rotation", a.rotation());
    }
    labels.put("service", SERVICE);
    ObjectNode annotations = n.putObject("annotations");
    annotations.put("summary", a.summary());
    annotations.put("description", a.description());
    a.runDir().ifPresent(dir -> annotations.put("run_dir", dir));
    n.put("startsAt", a.startsAt().toString());
    n.put("endsAt", d.resolvedAt().orElse(now.plus(validFor)).toString());
    n.put("generatorURL", generatorUrl);
    return n;
  }
}
