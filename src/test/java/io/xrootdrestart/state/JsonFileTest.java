package io.xrootdrestart.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.alerts.AlertBook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The daemon's own JSON files: damaged ones and ones of a format this version does not know. */
class JsonFileTest {
  @TempDir Path dir;

  private String refusal(String content) throws Exception {
    Path file = dir.resolve("f.json");
    Files.writeString(file, content);
    return assertThrows(
            StateException.class, () -> JsonFile.read(file, why -> new StateException(why)))
        .getMessage();
  }

  @Test
  void aFileOfANewerFormatIsRefusedNotMisread() throws Exception {
    String m = refusal("{\"format\": 99, \"servers\": {}}");
    assertTrue(m.contains("format 99, written by a newer xrootdrestart"), m);
    assertTrue(refusal("{\"format\": 1099511627776}").contains("format 1099511627776"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1\"", "null", "1.5", "[1]"})
  void aFormatThatIsNotAWholeNumberIsCorrupt(String format) throws Exception {
    String m = refusal("{\"format\": " + format + "}");
    assertTrue(m.contains("not a whole number"), m);
  }

  @Test
  void aFormatBelowOneIsCorrupt() throws Exception {
    assertTrue(refusal("{\"format\": -1}").contains("which no xrootdrestart writes"));
  }

  @Test
  void damageIsReportedByLineAndColumnWithoutJacksonsSourceText() throws Exception {
    String m = refusal("{\n  \"format\": 1,\n  \"servers\": {\"a\n");
    assertTrue(m.startsWith("line 3, column "), m);
    assertFalse(m.contains("Source"), m);
    assertFalse(m.contains("\n"), m);
  }

  @Test
  void whatIsNotAnObjectIsRefused() throws Exception {
    assertEquals("not a JSON object", refusal("[]"));
    assertEquals("not a JSON object", refusal(""));
  }

  @Test
  void aFileWithoutFormatOrWithFormatOneIsRead() throws Exception {
    Path file = dir.resolve("f.json");
    Files.writeString(file, "{\"format\": 1}");
    assertTrue(JsonFile.read(file, StateException::new).isPresent());
    Files.writeString(file, "{}");
    assertTrue(JsonFile.read(file, StateException::new).isPresent());
    assertTrue(JsonFile.read(dir.resolve("none.json"), StateException::new).isEmpty());
  }

  @Test
  void aTimeThatCouldNotBeShownAsADateIsDamage() throws Exception {
    Files.writeString(
        dir.resolve("controls.json"),
        "{\"format\": 1, \"excluded\": {\"lab2\": {\"since\": \"-1000000000-01-01T00:00:00Z\"}}}");
    StateException e = assertThrows(StateException.class, () -> new ControlsStore(dir).load());
    assertTrue(e.getMessage().contains("is not between 1970 and 9999"), e.getMessage());
    Files.writeString(dir.resolve("state.json"), "{\"last_slot\": \"+10000-01-01T00:00:00Z\"}");
    assertThrows(StateException.class, () -> new StateStore(dir).load());
  }

  @Test
  void allThreeFilesRefuseANewerFormat() throws Exception {
    Files.writeString(dir.resolve("state.json"), "{\"format\": 2}");
    Files.writeString(dir.resolve("controls.json"), "{\"format\": 2}");
    Files.writeString(dir.resolve("alerts.json"), "{\"format\": 2}");
    for (Runnable load :
        new Runnable[] {
          () -> new StateStore(dir).load(),
          () -> new ControlsStore(dir).load(),
          () -> AlertBook.open(dir, Clock.systemUTC(), false)
        }) {
      StateException e = assertThrows(StateException.class, load::run);
      assertTrue(e.getMessage().contains("format 2, written by a newer"), e.getMessage());
      assertEquals(2, e.exitCode());
    }
  }
}
