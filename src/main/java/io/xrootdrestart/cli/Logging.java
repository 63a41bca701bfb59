package io.xrootdrestart.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.xrootdrestart.BadInputException;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.LogLevel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/** Applies {@code log_level} and {@code log_file}: standard error always, the file too when set. */
final class Logging {
  private static final String FILE_APPENDER = "FILE";

  private Logging() {}

  static void configure(Config config) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(config.get(Keys.LOG_LEVEL)));
    root.detachAppender(FILE_APPENDER);
    config
        .get(Keys.LOG_FILE)
        .ifPresent(
            file ->
                root.addAppender(
                    fileAppender(context, file, config.setting(Keys.LOG_FILE).origin())));
  }

  /**
   * Whether a log file can be written there: its directory exists, and the file or it is writable.
   */
  public static boolean writable(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return Files.isDirectory(dir)
        && (Files.exists(file) ? Files.isWritable(file) : Files.isWritable(dir));
  }

  static Level level(LogLevel level) {
    return switch (level) {
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARNING -> Level.WARN;
      case ERROR, CRITICAL -> Level.ERROR;
    };
  }

  private static FileAppender<ILoggingEvent> fileAppender(
      LoggerContext context, Path file, io.xrootdrestart.config.Origin origin) {
    if (!writable(file)) {
      throw new BadInputException(
          new io.xrootdrestart.config.Problem(
                  origin,
                  Keys.LOG_FILE.name(),
                  "cannot write "
                      + file
                      + " (does the directory exist, and may this user write there?)")
              .toString());
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{0}%X{rotation}: %msg%n");
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setName(FILE_APPENDER);
    appender.setContext(context);
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
