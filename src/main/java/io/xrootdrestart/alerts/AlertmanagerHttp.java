package io.xrootdrestart.alerts;

import java.io.IOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/** What every call to Alertmanager shares: its time bounds, and how a refusal reads. */
public final class AlertmanagerHttp {
  private AlertmanagerHttp() {}

  /** {@code http}, bounded: 3 s to connect, 10 s for the whole call. */
  public static OkHttpClient bounded(OkHttpClient http) {
    return http.newBuilder()
        .connectTimeout(Duration.ofSeconds(3))
        .callTimeout(Duration.ofSeconds(10))
        .build();
  }

  /** The URL without any user or password in it, for logs and messages. */
  public static String shown(HttpUrl url) {
    return url.newBuilder().username("").password("").build().toString();
  }

  /** "Alertmanager at URL answered HTTP 400: the first line of its answer". */
  public static IOException refused(HttpUrl url, int code, String answer) {
    return new IOException(
        "Alertmanager at "
            + shown(url)
            + " answered HTTP "
            + code
            + (answer.isBlank() ? "" : ": " + answer.strip().lines().findFirst().orElse("")));
  }
}
