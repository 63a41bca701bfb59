package io.xrootdrestart.alerts;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import okhttp3.Credentials;

/**
 * How the daemon authenticates to Alertmanager: not at all, HTTP basic auth, or a bearer token.
 * Secrets are read from their files at each send (so they can be rotated) and never kept, logged or
 * printed.
 */
public sealed interface AlertAuth {
  AlertAuth NONE = new None();

  /** The {@code Authorization} header value, if any. */
  Optional<String> header() throws IOException;

  static AlertAuth from(Config config) {
    String user = config.get(Keys.ALERT_USER);
    Optional<Path> password = config.get(Keys.ALERT_PASSWORD_FILE);
    Optional<Path> token = config.get(Keys.ALERT_TOKEN_FILE);
    if (!user.isEmpty() && password.isPresent()) {
      return new Basic(user, password.get());
    }
    return token.<AlertAuth>map(Bearer::new).orElse(NONE);
  }

  /** The file's content without the trailing newline an editor leaves. */
  private static String secret(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  record None() implements AlertAuth {
    @Override
    public Optional<String> header() {
      return Optional.empty();
    }
  }

  record Basic(String user, Path passwordFile) implements AlertAuth {
    @Override
    public Optional<String> header() throws IOException {
      return Optional.of(Credentials.basic(user, secret(passwordFile), StandardCharsets.UTF_8));
    }
  }

  record Bearer(Path tokenFile) implements AlertAuth {
    @Override
    public Optional<String> header() throws IOException {
      return Optional.of("Bearer " + secret(tokenFile));
    }
  }
}
