package io.xrootdrestart.ansible;

import java.time.Duration;

/** How a finished command ended. */
public record CommandResult(int exitCode, String stdout, String stderr, Duration elapsed) {}
