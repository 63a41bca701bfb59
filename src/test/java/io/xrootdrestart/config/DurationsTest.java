package io.xrootdrestart.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "300, 300",
    "300s, 300",
    "5m, 300",
    "1h30m, 5400",
    "3d, 259200",
    "2w, 1209600",
    "0, 0",
    "1d2h3m4s, 93784",
    " 45 , 45"
  })
  void parsesSecondsAndUnits(String text, long seconds) throws Exception {
    assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
  }

  @org.junit.jupiter.api.Test
  void parsesMilliseconds() throws Exception {
    assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "5 m", "m", "5x", "1.5h", "-5", "five", "5m3", "99999999999999999999"})
  void rejectsOtherText(String text) {
    assertThrows(InvalidValueException.class, () -> Durations.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"259200, 3d", "300, 5m", "90, 1m30s", "0, 0s", "3661, 1h1m1s"})
  void formatsInTheShortestUnits(long seconds, String text) {
    assertEquals(text, Durations.format(Duration.ofSeconds(seconds)));
  }
}
