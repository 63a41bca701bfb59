package io.xrootdrestart.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * An executable that runs this build's command line ({@code io.xrootdrestart.cli.Main}) from the
 * test's class path, for {@code setup.yml -e xrootdrestart_jar=...} in tests: Maven packages the
 * jar only after the tests have run, and a jar left in target/ by an earlier build may be older
 * than the source.
 */
public final class CliLauncher {
  private static Path launcher;

  private CliLauncher() {}

  /** The launcher, written once per test JVM (and deleted when it exits). */
  public static synchronized Path path() {
    if (launcher == null) {
      String classPath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      String mainClassPath =
          Arrays.stream(classPath.split(File.pathSeparator))
              .filter(
                  entry ->
                      !entry.endsWith(
                          "test-classes")) // the test logging setup must not print on stdout
              .map(entry -> Path.of(entry).toAbsolutePath().toString())
              .collect(Collectors.joining(File.pathSeparator));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      try {
        Path dir = Files.createTempDirectory("xrootdrestart-cli-");
        dir.toFile().deleteOnExit(); // after the file: deleteOnExit works in reverse order
        Path file = dir.resolve("xrootdrestart");
        Files.writeString(
            file,
            "#!/bin/sh\n# The command line of the build under test ("
                + CliLauncher.class.getName()
                + ").\n"
                + "exec '"
                + java
                + "' -cp '"
                + mainClassPath
                + "' io.xrootdrestart.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        file.toFile().deleteOnExit();
        launcher = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return launcher;
  }
}
