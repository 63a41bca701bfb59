package io.xrootdrestart.silence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xrootdrestart.alerts.AlertAuth;
import io.xrootdrestart.alerts.AlertmanagerHttp;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Alertmanager's silences API, v2: {@code POST /api/v2/silences} creates or updates one ({@code
 * postableSilence}; the answer holds its {@code silenceID}), {@code DELETE /api/v2/silence/{id}}
 * expires it.
 */
public final class AlertmanagerSilences implements Silences {
  static final String CREATED_BY = "xrootdrestart";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final HttpUrl base;
  private final OkHttpClient http;
  private final AlertAuth auth;
  private final String cluster;

  /**
   * @param cluster cluster_id: the comment of every silence names it, so that a daemon finds the
   *     silences of its own cluster again ({@link #leftovers})
   */
  public AlertmanagerSilences(URI alertUrl, OkHttpClient http, AlertAuth auth, String cluster) {
    this.base = HttpUrl.get(alertUrl.toString()).newBuilder().addPathSegments("api/v2").build();
    this.http = AlertmanagerHttp.bounded(http);
    this.auth = auth;
    this.cluster = cluster;
  }

  /** How every silence's comment starts: the daemon and its cluster. */
  private String commentPrefix() {
    return "xrootdrestart (cluster " + cluster + ")";
  }

  @Override
  public String put(
      String id, List<Matcher> matchers, String node, Instant startsAt, Instant endsAt)
      throws IOException {
    ObjectNode body = JSON.createObjectNode();
    if (id != null) {
      body.put("id", id);
    }
    ArrayNode ms = body.putArray("matchers");
    for (Matcher m : matchers) {
      ObjectNode o = ms.addObject();
      o.put("name", m.name());
      o.put("value", m.valueFor(node));
      o.put("isRegex", m.isRegex());
      o.put("isEqual", m.isEqual());
    }
    body.put("startsAt", startsAt.toString());
    body.put("endsAt", endsAt.toString());
    body.put("createdBy", CREATED_BY);
    body.put("comment", commentPrefix() + " is restarting cmsd and xrootd on " + node);
    Request.Builder request =
        new Request.Builder()
            .url(base.newBuilder().addPathSegment("silences").build())
            .post(RequestBody.create(JSON.writeValueAsBytes(body), JSON_TYPE));
    try (Response response = call(request)) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw AlertmanagerHttp.refused(base, response.code(), text);
      }
      JsonNode answer = JSON.readTree(text);
      String silenceId = answer.path("silenceID").asText("");
      if (silenceId.isEmpty()) {
        throw new IOException(
            "Alertmanager at "
                + AlertmanagerHttp.shown(base)
                + " gave no silenceID: "
                + text.strip());
      }
      return silenceId;
    }
  }

  @Override
  public void expire(String id) throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(base.newBuilder().addPathSegment("silence").addPathSegment(id).build())
            .delete();
    try (Response response = call(request)) {
      String text = response.body().string();
      // 404: gone (Alertmanager forgets expired silences after their retention); 500 with
      // "already expired" from some versions: either way there is nothing left to end.
      if (response.isSuccessful() || response.code() == 404 || text.contains("already expired")) {
        return;
      }
      throw AlertmanagerHttp.refused(base, response.code(), text);
    }
  }

  /**
   * The ids of the silences this cluster's daemon made that are still active or pending: made by
   * {@code xrootdrestart} with this cluster's comment. Between restarts there should be none; one
   * that a crash left (for example between Alertmanager making it and the state file recording it)
   * is found here.
   */
  @Override
  public List<String> leftovers() throws IOException {
    Request.Builder request =
        new Request.Builder().url(base.newBuilder().addPathSegment("silences").build()).get();
    try (Response response = call(request)) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw AlertmanagerHttp.refused(base, response.code(), text);
      }
      List<String> ids = new java.util.ArrayList<>();
      for (JsonNode s : JSON.readTree(text)) {
        String state = s.path("status").path("state").asText();
        if (CREATED_BY.equals(s.path("createdBy").asText())
            && s.path("comment").asText().startsWith(commentPrefix() + " ")
            && (state.equals("active") || state.equals("pending"))) {
          ids.add(s.path("id").asText());
        }
      }
      return ids;
    }
  }

  private Response call(Request.Builder request) throws IOException {
    auth.header().ifPresent(h -> request.header("Authorization", h));
    return http.newCall(request.build()).execute();
  }
}
