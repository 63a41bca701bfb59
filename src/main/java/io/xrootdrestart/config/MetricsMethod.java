package io.xrootdrestart.config;

/** PULL: Prometheus scrapes the daemon. PUSH: the daemon pushes to a Pushgateway. */
public enum MetricsMethod {
  PULL,
  PUSH
}
