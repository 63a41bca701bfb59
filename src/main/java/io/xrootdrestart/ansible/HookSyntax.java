package io.xrootdrestart.ansible;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigException;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.config.Problem;
import io.xrootdrestart.config.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Checks the site's hook files ({@code pre_restart_tasks}, {@code post_restart_tasks}) with {@code
 * ansible-playbook --syntax-check} before anything runs, so that a broken file is a config error at
 * start and at {@code check}, not a failed restart at 3 a.m. The file is imported statically into a
 * one-play playbook (a dynamic include would not be read by the check).
 */
public final class HookSyntax {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private HookSyntax() {}

  /** Throws a {@link ConfigException} naming the setting's file, line and key for each bad file. */
  public static void check(Config config) {
    List<Problem> problems = new ArrayList<>();
    for (Key<Optional<Path>> key : List.of(Keys.PRE_RESTART_TASKS, Keys.POST_RESTART_TASKS)) {
      Setting<Optional<Path>> s = config.setting(key);
      s.value()
          .flatMap(HookSyntax::problem)
          .ifPresent(p -> problems.add(new Problem(s.origin(), key.name(), p)));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Ansible's error and where it is, without the quoted lines it adds after them. */
  static String summarize(String output) {
    int cut = output.indexOf("The offending line");
    return AnsibleInventory.summarize(cut < 0 ? output : output.substring(0, cut))
        .replace("ERROR! ", "");
  }

  /** What is wrong with the task file, if anything. */
  static Optional<String> problem(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      return Optional.of("cannot read the task file " + file);
    }
    Path dir = null;
    try {
      dir = Files.createTempDirectory("xrootdrestart-hook-check-");
      Map<String, Object> play = new LinkedHashMap<>();
      play.put("name", "Syntax check of " + file);
      play.put("hosts", "localhost");
      play.put("gather_facts", false);
      play.put("tasks", List.of(Map.of("ansible.builtin.import_tasks", file.toString())));
      Path playbook = dir.resolve("check.yml");
      new YAMLMapper().writeValue(playbook.toFile(), List.of(play));
      CommandResult r =
          Commands.run(
              List.of(
                  "ansible-playbook", "--syntax-check", "-i", "localhost,", playbook.toString()),
              Map.of("ANSIBLE_NOCOLOR", "1", "ANSIBLE_DEPRECATION_WARNINGS", "false"),
              TIMEOUT);
      if (r.exitCode() != 0) {
        return Optional.of(
            "ansible-playbook --syntax-check refuses "
                + file
                + ": "
                + summarize(r.stderr().isBlank() ? r.stdout() : r.stderr()));
      }
      return Optional.empty();
    } catch (TimeoutException e) {
      return Optional.of("ansible-playbook --syntax-check did not end within 60 s on " + file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        try (var files = Files.list(dir)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
          Files.deleteIfExists(dir);
        } catch (IOException ignored) {
          // a temporary directory left behind is harmless
        }
      }
    }
  }
}
