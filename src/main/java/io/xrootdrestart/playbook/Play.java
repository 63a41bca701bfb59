package io.xrootdrestart.playbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One play: a name, the hosts it runs on, play vars, and its tasks in order. Facts are never
 * gathered.
 */
public record Play(String name, List<String> hosts, Map<String, Object> vars, List<Task> tasks) {
  public Play {
    Objects.requireNonNull(name, "name");
    hosts = List.copyOf(hosts);
    vars = vars == null ? Map.of() : vars;
    tasks = List.copyOf(tasks);
    if (hosts.isEmpty() || tasks.isEmpty()) {
      throw new IllegalArgumentException("a play needs hosts and tasks");
    }
  }

  public Map<String, Object> toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("hosts", hosts.size() == 1 ? hosts.get(0) : hosts);
    m.put("gather_facts", false);
    if (!vars.isEmpty()) {
      m.put("vars", vars);
    }
    m.put("tasks", tasks.stream().map(Task::toYaml).toList());
    return m;
  }
}
