package io.xrootdrestart.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar's manifest. */
final class Version implements IVersionProvider {
  static String current() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "development build" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "xrootdrestart " + current(), "Java " + System.getProperty("java.version")
    };
  }
}
