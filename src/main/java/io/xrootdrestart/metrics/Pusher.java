package io.xrootdrestart.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.PushGateway;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the metrics to a Pushgateway (job {@code xrootdrestart}, grouped by {@code instance}). A
 * push that fails is logged and counted and never stops anything: the next one comes 5 s later
 * anyway.
 */
public final class Pusher {
  static final String JOB = "xrootdrestart";
  private static final Logger LOG = LoggerFactory.getLogger(Pusher.class);
  private static final int TIMEOUT_MS = 4000;

  private final PushGateway gateway;
  private final URI url;
  private final CollectorRegistry registry;
  private final Map<String, String> grouping;
  private final Runnable onFailure;
  private long failedInARow;

  public Pusher(URI pushgwUrl, CollectorRegistry registry, String instance, Runnable onFailure) {
    this.url = pushgwUrl;
    this.registry = registry;
    this.grouping = Map.of("instance", instance);
    this.onFailure = onFailure;
    try {
      this.gateway = new PushGateway(new URL(pushgwUrl.toString().replaceAll("/+$", "")));
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException(e);
    }
    gateway.setConnectionFactory(
        u -> {
          HttpURLConnection c = (HttpURLConnection) URI.create(u).toURL().openConnection();
          c.setConnectTimeout(TIMEOUT_MS);
          c.setReadTimeout(TIMEOUT_MS);
          return c;
        });
  }

  /** One push; returns whether it worked. */
  public synchronized boolean push() {
    try {
      gateway.push(registry, JOB, grouping);
      if (failedInARow > 0) {
        LOG.info("the Pushgateway at {} takes pushes again ({} failed before)", url, failedInARow);
      }
      failedInARow = 0;
      return true;
    } catch (IOException | RuntimeException e) {
      onFailure.run();
      failedInARow++;
      if (failedInARow == 1 || failedInARow % 60 == 0) { // once, then every 5 minutes
        LOG.warn(
            "cannot push metrics to the Pushgateway at {} ({} failure(s) in a row; restarts go on):"
                + " {}",
            url,
            failedInARow,
            e.getMessage());
      }
      return false;
    }
  }
}
