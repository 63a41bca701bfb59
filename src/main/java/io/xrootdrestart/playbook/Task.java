package io.xrootdrestart.playbook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code ansible.builtin.raw} task of a generated playbook. Only the keywords the phases use
 * are modelled; {@link #toYaml()} lays them out in the order a person would write them.
 *
 * @param name the step's name, which is what a failure reports
 * @param cmd the remote command, always {@code sudo -n /usr/bin/systemctl VERB UNIT}
 * @param step what the task does, for the restart logic (never written to the playbook)
 * @param changedWhen {@code true}, {@code false} or a Jinja2 condition
 * @param failedWhen {@code false} or a Jinja2 condition
 */
public record Task(
    String name,
    String cmd,
    Step step,
    String register,
    Integer timeout,
    Object changedWhen,
    Object failedWhen,
    String until,
    Integer retries,
    Integer delay,
    String when) {
  public Task {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cmd, "cmd");
    Objects.requireNonNull(step, "step");
  }

  /** The task as Ansible reads it. */
  public Map<String, Object> toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("ansible.builtin.raw", cmd);
    putIfSet(m, "when", when);
    putIfSet(m, "register", register);
    putIfSet(m, "timeout", timeout);
    putIfSet(m, "changed_when", changedWhen);
    putIfSet(m, "failed_when", failedWhen);
    putIfSet(m, "until", until);
    putIfSet(m, "retries", retries);
    putIfSet(m, "delay", delay);
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
