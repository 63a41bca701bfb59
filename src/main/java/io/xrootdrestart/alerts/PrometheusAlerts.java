package io.xrootdrestart.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xrootdrestart.guard.FiringAlerts;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Asks Prometheus ({@code GET <prom_url>/api/v1/alerts}) which alerts are firing. When Prometheus
 * cannot be asked, the answer is a pseudo-alert naming the problem, so that the guard holds: with
 * {@code block_on_alerts} set, not knowing is no reason to go ahead.
 */
public final class PrometheusAlerts implements FiringAlerts {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpUrl url;
  private final OkHttpClient http;

  public PrometheusAlerts(URI promUrl, OkHttpClient http) {
    HttpUrl base = HttpUrl.get(promUrl.toString());
    this.url = base.newBuilder().addPathSegments("api/v1/alerts").build();
    this.http = http.newBuilder().callTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public List<String> matching(Pattern pattern) {
    try (Response response = http.newCall(new Request.Builder().url(url).get().build()).execute()) {
      if (!response.isSuccessful()) {
        return List.of("(Prometheus at " + url + " answered HTTP " + response.code() + ")");
      }
      JsonNode alerts = JSON.readTree(response.body().byteStream()).path("data").path("alerts");
      TreeSet<String> names = new TreeSet<>();
      for (JsonNode a : alerts) {
        String name = a.path("labels").path("alertname").asText("");
        boolean own = name.toUpperCase(Locale.ROOT).startsWith("XROOTDRESTART");
        if (a.path("state").asText().equals("firing") && !own && pattern.matcher(name).find()) {
          names.add(name);
        }
      }
      return List.copyOf(names);
    } catch (JsonProcessingException e) {
      return List.of(
          "(Prometheus at " + url + " answered what is not JSON: " + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      return List.of("(cannot ask Prometheus at " + url + ": " + e.getMessage() + ")");
    }
  }
}
