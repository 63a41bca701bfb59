package io.xrootdrestart.config;

/** The predecessor's (Python's) five levels; WARN is accepted for WARNING. */
public enum LogLevel {
  DEBUG,
  INFO,
  WARNING,
  ERROR,
  CRITICAL
}
