package io.xrootdrestart.cli;

import io.xrootdrestart.BadInputException;
import io.xrootdrestart.config.Durations;
import io.xrootdrestart.config.InvalidValueException;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.state.Controls;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "exclude",
    mixinStandardHelpOptions = true,
    description = {
      "Leave a server out of the rotation (for maintenance) until 'include' or --until: a running"
          + " daemon gives it no slot and does not restore it from its next slot on; the others"
          + " keep their spacing. It still counts toward min_ok when it is healthy. Contacts no"
          + " server."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:excluded", "2:unknown server, bad --until, configuration or inventory"})
final class ExcludeCommand extends ControlCommand {
  @Parameters(index = "0", paramLabel = "SERVER", description = "Inventory name of the server.")
  String server;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description =
          "When the exclusion ends by itself: a time (2026-12-24T08:00, local; or with an offset or"
              + " Z) or a duration from now (4h, 2d).")
  String until;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why, shown by status, plan and /status.")
  String reason = "";

  ExcludeCommand(Context context) {
    super(context);
  }

  @Override
  Controls change(Controls controls, Inventory inventory, Instant now) {
    String name = server(inventory, server).name();
    return controls.exclude(name, new Controls.Exclusion(now, parseUntil(until, now), reason));
  }

  @Override
  String done(Controls controls) {
    Controls.Exclusion e = controls.excluded().get(server);
    return server
        + " excluded "
        + e.until().map(u -> "until " + u).orElse("until 'xrootdrestart include " + server + "'")
        + ": the daemon will not restart or restore it";
  }

  /** A time in the future, or a duration from {@code now}; exit 2 naming --until otherwise. */
  static Optional<Instant> parseUntil(String text, Instant now) {
    if (text == null) {
      return Optional.empty();
    }
    Instant t;
    try {
      t = now.plus(Durations.parse(text));
    } catch (InvalidValueException notADuration) {
      try {
        t = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException notOffset) {
        try {
          t =
              LocalDateTime.parse(text.replace(' ', 'T'))
                  .atZone(ZoneId.systemDefault())
                  .toInstant();
        } catch (DateTimeParseException e) {
          throw new BadInputException(
              "--until: \""
                  + text
                  + "\" is neither a time (2026-12-24T08:00,"
                  + " 2026-12-24T08:00Z) nor a duration (4h, 2d)");
        }
      }
    }
    if (!t.isAfter(now)) {
      throw new BadInputException("--until: " + text + " is not in the future");
    }
    return Optional.of(t);
  }
}
