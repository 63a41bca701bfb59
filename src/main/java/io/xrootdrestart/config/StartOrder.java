package io.xrootdrestart.config;

/**
 * Which unit a restart starts first after xrootd stopped. A data server's cmsd logs in to the
 * manager only after its own xrootd logged in to it, so starting cmsd first never lets the
 * redirector send clients to a server whose xrootd is not up.
 */
public enum StartOrder {
  /** Start xrootd, then cmsd (what the Python tool did). */
  XROOTD_FIRST,
  /** Start cmsd, then xrootd. */
  CMSD_FIRST
}
