package io.xrootdrestart.playbook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a generated playbook: an {@code ansible.builtin.raw} step of the restart, or a gate
 * ({@code ansible.builtin.assert} on the controller, see {@link Gate}). Only the keywords the
 * phases use are modelled; {@link #toYaml()} lays them out in the order a person would write them.
 *
 * @param name the step's name, which is what a failure reports
 * @param module the module's fully qualified name
 * @param args the module's argument: the remote command for {@code raw}, a mapping otherwise
 * @param step what the task does, for the restart logic (never written to the playbook); null for a
 *     gate
 * @param changedWhen {@code true}, {@code false} or a Jinja2 condition
 * @param failedWhen {@code false} or a Jinja2 condition
 * @param ignoreUnreachable keep the host in the run when it cannot be reached (the health play: an
 *     unreachable server must not drop out of the plays that follow)
 */
public record Task(
    String name,
    String module,
    Object args,
    Step step,
    String register,
    Integer timeout,
    Object changedWhen,
    Object failedWhen,
    String until,
    Integer retries,
    Integer delay,
    String when,
    boolean ignoreUnreachable) {
  public static final String RAW = "ansible.builtin.raw";

  public Task {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(args, "args");
    if (module.equals(RAW)) {
      Objects.requireNonNull(step, "step");
    }
  }

  /** A raw task: {@code cmd} is the remote command, always {@code sudo -n /usr/bin/systemctl}. */
  public Task(
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
    this(
        name,
        RAW,
        cmd,
        step,
        register,
        timeout,
        changedWhen,
        failedWhen,
        until,
        retries,
        delay,
        when,
        false);
  }

  /** The remote command of a raw task. */
  public String cmd() {
    if (!module.equals(RAW)) {
      throw new IllegalStateException(name + " is not a raw task");
    }
    return (String) args;
  }

  public boolean isRaw() {
    return module.equals(RAW);
  }

  /** The same task, with {@code ignore_unreachable: true}. */
  public Task ignoringUnreachable() {
    return new Task(
        name,
        module,
        args,
        step,
        register,
        timeout,
        changedWhen,
        failedWhen,
        until,
        retries,
        delay,
        when,
        true);
  }

  /** The task as Ansible reads it. */
  public Map<String, Object> toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put(module, args);
    putIfSet(m, "when", when);
    putIfSet(m, "register", register);
    putIfSet(m, "timeout", timeout);
    putIfSet(m, "changed_when", changedWhen);
    putIfSet(m, "failed_when", failedWhen);
    putIfSet(m, "until", until);
    putIfSet(m, "retries", retries);
    putIfSet(m, "delay", delay);
    if (ignoreUnreachable) {
      m.put("ignore_unreachable", true);
    }
    return m;
  }

  private static void putIfSet(Map<String, Object> m, String key, Object value) {
    if (value != null) {
      m.put(key, value);
    }
  }
}
