package io.xrootdrestart.config;

import io.xrootdrestart.BadInputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used; holds every problem found, each naming its file, line and key.
 */
public final class ConfigException extends BadInputException {
  private final List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigException(Problem problem) {
    this(List.of(problem));
  }

  public List<Problem> problems() {
    return problems;
  }
}
