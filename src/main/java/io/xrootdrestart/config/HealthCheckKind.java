package io.xrootdrestart.config;

/**
 * What "healthy" means for the guard and for a finished restart: {@code systemd}, both units
 * active; {@code xrootd}, both units active and the server's xrootd answering on its port, logged
 * in to its cmsd and in the cluster.
 */
public enum HealthCheckKind {
  SYSTEMD,
  XROOTD
}
