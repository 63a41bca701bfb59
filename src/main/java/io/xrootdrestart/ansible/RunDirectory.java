package io.xrootdrestart.ansible;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xrootdrestart.playbook.PhasePlaybook;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code state_dir/runs/<time>-<server>-<phase>/}: what one run executed and reported, so that an
 * admin can see exactly what happened when an alert names a failure. Holds {@code playbook.yml},
 * {@code extra-vars.json}, {@code events.jsonl}, {@code stderr.log} and {@code result.json}.
 */
public final class RunDirectory {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path dir;

  private RunDirectory(Path dir) {
    this.dir = dir;
  }

  /** Creates a new run directory, then removes the oldest beyond {@code keep}. */
  public static RunDirectory create(Path runsDir, Instant now, PhasePlaybook playbook, int keep) {
    String target = playbook.hosts().size() == 1 ? playbook.hosts().get(0) : "all";
    return create(runsDir, now, target, playbook.phase().id(), keep);
  }

  /**
   * The directory of a run named after its target server (or "all") and what it does. Synchronized:
   * the rotations' daemons start runs at the same time.
   */
  public static synchronized RunDirectory create(
      Path runsDir, Instant now, String target, String what, int keep) {
    String name = STAMP.format(now) + "-" + target.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + what;
    try {
      Files.createDirectories(runsDir);
      Path dir = runsDir.resolve(name);
      for (int i = 2; Files.exists(dir); i++) {
        dir = runsDir.resolve(name + "-" + i);
      }
      Files.createDirectory(dir);
      prune(runsDir, keep);
      return new RunDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a run directory under " + runsDir, e);
    }
  }

  private static void prune(Path runsDir, int keep) throws IOException {
    List<Path> runs;
    try (Stream<Path> s = Files.list(runsDir)) {
      runs = s.filter(Files::isDirectory).sorted().toList();
    }
    for (int i = 0; i < runs.size() - keep; i++) {
      try (Stream<Path> walk = Files.walk(runs.get(i))) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  public Path path() {
    return dir;
  }

  public Path file(String name) {
    return dir.resolve(name);
  }

  public void write(String name, String text) {
    try {
      Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  /**
   * Writes a record made after the run ({@code stderr.log}, {@code result.json}): a state_dir that
   * cannot be written then loses the record, never the run's outcome (which the caller has).
   */
  public void keep(String name, String text) {
    try {
      write(name, text);
    } catch (UncheckedIOException e) {
      lost(e);
    }
  }

  /** {@link #keep} of a JSON record. */
  public void keepJson(String name, Object value) {
    try {
      writeJson(name, value);
    } catch (UncheckedIOException e) {
      lost(e);
    }
  }

  private static void lost(UncheckedIOException e) {
    IOException cause = e.getCause();
    String why =
        cause instanceof FileSystemException f && f.getReason() != null
            ? f.getReason()
            : cause.getMessage();
    LOG.warn("{} ({}): the run's record is lost, not its outcome", e.getMessage(), why);
  }

  public void writeJson(String name, Object value) {
    try {
      Files.write(dir.resolve(name), JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }
}
