package io.xrootdrestart.alerts;

/**
 * The daemon's own alerts; the names are the Python tool's, so existing Alertmanager routes keep
 * working.
 */
public enum AlertName {
  /** A server could not be reached over SSH, for a restart or a health check. */
  CONNECT_ERROR,
  /** A step of a server's restart failed, or a unit would not stop. */
  RESTART_ERROR,
  /** The guard holds restarts: fewer than min_ok other servers are healthy. */
  INSUFFICIENT_SERVERS;

  /** The {@code alertname} label: {@code XROOTDRESTART_CONNECT_ERROR} and so on. */
  public String label() {
    return "XROOTDRESTART_" + name();
  }

  public static AlertName fromLabel(String label) {
    return valueOf(label.substring("XROOTDRESTART_".length()));
  }
}
