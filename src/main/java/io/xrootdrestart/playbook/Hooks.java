package io.xrootdrestart.playbook;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The site's own task files around a server's restart ({@code pre_restart_tasks}, {@code
 * post_restart_tasks}): included in the drain play before cmsd is stopped, and in the cycle play
 * once the server is back.
 */
public record Hooks(Optional<Path> pre, Optional<Path> post) {
  public static final Hooks NONE = new Hooks(Optional.empty(), Optional.empty());

  /** How long a hook may take, added to its play's budget (its own tasks can set timeouts). */
  public static final Duration BUDGET = Duration.ofMinutes(5);

  public Hooks {
    Objects.requireNonNull(pre, "pre");
    Objects.requireNonNull(post, "post");
  }

  public static Hooks from(Config config) {
    return new Hooks(config.get(Keys.PRE_RESTART_TASKS), config.get(Keys.POST_RESTART_TASKS));
  }

  public boolean any() {
    return pre.isPresent() || post.isPresent();
  }

  /** The task that runs the file {@code kind} names ("pre_restart_tasks"), on its play's host. */
  static Task include(String kind, Path file) {
    return Task.include("Run the site's " + kind + " (" + file + ")", file.toString());
  }
}
