package io.xrootdrestart.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNamesTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "cmsd@cluster",
        "xrootd@cluster",
        "xrootd@cluster.service",
        "xrootd",
        "xrootd.service",
        "cmsd@my-site_2.a",
        "xrootd-x@y"
      })
  void acceptsServiceNames(String name) throws Exception {
    assertEquals(name, UnitNames.check(name));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "xrootd@",
        "xrootd@.service",
        "a b",
        "x;rm",
        "x$(id)",
        "x`id`",
        "a\\b",
        "a:b",
        "-x",
        ".x",
        "a/b",
        "a*",
        "x@y@z",
        "ssh.socket",
        "multi-user.target",
        "a,b",
        "a=b",
        "\"a\""
      })
  void refusesWhatSystemdShellOrSudoWouldReadSpecially(String name) {
    assertThrows(InvalidValueException.class, () -> UnitNames.check(name));
  }
}
