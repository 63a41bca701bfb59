package io.xrootdrestart.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import nu.validator.client.EmbeddedValidator;

/**
 * The W3C's Nu HTML Checker (the engine of validator.w3.org/nu and of the {@code vnu} jar), run in
 * this JVM from Maven Central's {@code nu.validator:validator}, which carries its schemas: no
 * network. Chosen over Debian's {@code tidy} because it checks against the current HTML standard
 * (content models, ARIA, attribute values), where tidy checks an older HTML and mostly repairs
 * markup.
 */
public final class HtmlValidator {
  private HtmlValidator() {}

  /**
   * Every error and warning about {@code html}, as "LINE:COLUMN: TYPE: MESSAGE (EXTRACT)"; empty
   * when valid.
   */
  public static List<String> problems(String html) {
    try {
      EmbeddedValidator v = new EmbeddedValidator();
      v.setOutputFormat(EmbeddedValidator.OutputFormat.JSON);
      JsonNode out =
          new ObjectMapper()
              .readTree(
                  v.validate(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8))));
      List<String> problems = new ArrayList<>();
      for (JsonNode m : out.path("messages")) {
        String type = m.path("subType").asText(m.path("type").asText());
        if (type.equals("info")) {
          continue; // plain information, neither error nor warning
        }
        problems.add(
            m.path("lastLine").asText("?")
                + ":"
                + m.path("firstColumn").asText("?")
                + ": "
                + type
                + ": "
                + m.path("message").asText()
                + " ("
                + m.path("extract").asText("").strip()
                + ")");
      }
      return problems;
    } catch (Exception e) {
      throw new IllegalStateException("the HTML checker failed: " + e, e);
    }
  }
}
