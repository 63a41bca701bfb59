package io.xrootdrestart.silence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatcherTest {
  @Test
  void parsesAlertmanagersFourOperatorsQuotedOrBare() {
    assertEquals(
        List.of(
            new Matcher("instance", "=~", "{node}(:[0-9]+)?"),
            new Matcher("job", "=", "node"),
            new Matcher("env", "!=", "test"),
            new Matcher("team", "!~", "a|b")),
        Matcher.parseAll(
            "{instance=~\"{node}(:[0-9]+)?\", job=node, env!=\"test\",team!~\"a|b\"}"));
  }

  @Test
  void theNodeIsEscapedInARegexAndNotElsewhere() {
    Matcher re = Matcher.parseAll("instance=~\"{node}(:[0-9]+)?\"").get(0);
    assertEquals("lab1\\.example\\.org(:[0-9]+)?", re.valueFor("lab1.example.org"));
    assertTrue(re.isRegex() && re.isEqual());
    Matcher eq = Matcher.parseAll("host=\"{node}\"").get(0);
    assertEquals("lab1.example.org", eq.valueFor("lab1.example.org"));
    assertFalse(eq.isRegex());
    assertFalse(Matcher.parseAll("a!=\"{node}\"").get(0).isEqual());
  }

  @Test
  void aQuoteInsideAValueIsEscaped() {
    Matcher m = Matcher.parseAll("summary=\"say \\\"hi\\\", {node}\"").get(0);
    assertEquals("say \"hi\", {node}", m.value());
    assertEquals("summary=\"say \\\"hi\\\", {node}\"", m.toString(), "written back as read");
  }

  @Test
  void refusesWhatAlertmanagerWouldRefuse() {
    for (String bad :
        List.of("", "instance", "9lives=\"x\"", "a=\"unclosed", "a=~\"(\"", "a=\"x\" b=\"y\"")) {
      assertThrows(IllegalArgumentException.class, () -> Matcher.parseAll(bad), bad);
    }
  }
}
