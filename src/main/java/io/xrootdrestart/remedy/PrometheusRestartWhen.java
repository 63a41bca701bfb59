package io.xrootdrestart.remedy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code restart_when}: an instant query ({@code GET <prom_url>/api/v1/query?query=EXPR}); each
 * series of the result names a server by its label {@code restart_when_label}, a {@code :port}
 * after it cut off ({@code instance="lab2:9100"} names lab2).
 */
public final class PrometheusRestartWhen implements RestartWhen {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpUrl url;
  private final String label;
  private final OkHttpClient http;

  public PrometheusRestartWhen(URI promUrl, String expression, String label, OkHttpClient http) {
    this.url =
        HttpUrl.get(promUrl.toString())
            .newBuilder()
            .addPathSegments("api/v1/query")
            .addQueryParameter("query", expression)
            .build();
    this.label = label;
    this.http = http.newBuilder().callTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public Set<String> ask() throws QueryFailedException {
    try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
      JsonNode body = JSON.readTree(response.body().byteStream());
      if (!response.isSuccessful() || !"success".equals(body.path("status").asText())) {
        throw new QueryFailedException(
            "Prometheus answered HTTP "
                + response.code()
                + (body.has("error") ? ": " + body.path("error").asText() : ""));
      }
      JsonNode data = body.path("data");
      if (!"vector".equals(data.path("resultType").asText())) {
        throw new QueryFailedException(
            "restart_when gave a "
                + data.path("resultType").asText("?")
                + ", not an instant vector with a "
                + label
                + " label");
      }
      Set<String> names = new TreeSet<>();
      for (JsonNode series : data.path("result")) {
        String value = series.path("metric").path(label).asText("");
        if (!value.isEmpty()) {
          names.add(withoutPort(value));
        }
      }
      return names;
    } catch (JsonProcessingException e) {
      throw new QueryFailedException(
          "Prometheus at " + url.host() + " answered what is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new QueryFailedException(
          "cannot ask Prometheus at " + url.host() + ": " + e.getMessage());
    }
  }

  /** "lab2:9100" → "lab2", "[::1]:9100" → "[::1]"; a name without a port as it is. */
  static String withoutPort(String value) {
    return value.replaceFirst(":[0-9]+$", "");
  }
}
