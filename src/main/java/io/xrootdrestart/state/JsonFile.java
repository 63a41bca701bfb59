package io.xrootdrestart.state;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the daemon's own JSON files ({@code state.json}, {@code alerts.json}, {@code
 * controls.json}): a damaged file is reported by line and column, and a file of a format this
 * version does not know (written by a newer one, before a downgrade) is refused rather than misread
 * and then overwritten.
 */
public final class JsonFile {
  /** The format this version writes, and the newest it reads. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The latest time a file may hold: later ones are damage, as are times before 1970. */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  private JsonFile() {}

  /**
   * A time the daemon wrote. One outside 1970-9999 is damage: Java reads it, but it could not be
   * shown as a date (status, plan) nor scheduled from.
   *
   * @throws DateTimeParseException the stores report as a file that cannot be read
   */
  public static Instant instant(String text) {
    Instant t = Instant.parse(text);
    if (t.isBefore(Instant.EPOCH) || t.isAfter(LATEST)) {
      throw new DateTimeParseException("time " + text + " is not between 1970 and 9999", text, 0);
    }
    return t;
  }

  /**
   * The file's top-level object, or empty when there is no file.
   *
   * @param cannotRead makes the exception for a file that cannot be used, from the reason why
   */
  public static Optional<JsonNode> read(Path file, Function<String, StateException> cannotRead) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
      throw cannotRead.apply(where + e.getOriginalMessage());
    } catch (IOException e) {
      throw cannotRead.apply(e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw cannotRead.apply("not a JSON object");
    }
    JsonNode format = root.get("format");
    if (format != null) {
      if (!format.isIntegralNumber()) {
        throw cannotRead.apply("\"format\" is " + format + ", not a whole number");
      }
      BigInteger f = format.bigIntegerValue();
      if (f.compareTo(BigInteger.valueOf(FORMAT)) > 0) {
        throw cannotRead.apply(
            "it has format "
                + f
                + ", written by a newer xrootdrestart; this version reads format "
                + FORMAT
                + " and would lose what it does not know: run the newer version");
      }
      if (f.signum() <= 0) {
        throw cannotRead.apply("\"format\" is " + f + ", which no xrootdrestart writes");
      }
    }
    return Optional.of(root);
  }
}
