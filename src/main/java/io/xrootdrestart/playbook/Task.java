package io.xrootdrestart.playbook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a generated playbook: an {@code ansible.builtin.raw} task that runs a phase's steps
 * on the server ({@link StepScript}) or reads the units' state (the health play). Only the keywords
 * the phases use are modelled; {@link #toYaml()} lays them out in the order a person would write
 * them.
 *
 * @param name what the task does, which is what a failure outside the script's steps reports
 * @param module the module's fully qualified name
 * @param args the module's argument: the remote command for {@code raw}, a mapping otherwise
 * @param script the steps the task's remote script runs, for the restart logic (the script's text
 *     is the raw task's argument); null for a task that is not a phase's script
 * @param timeout Ansible's own bound on the task, a safety net: the script bounds each step
 * @param changedWhen {@code true}, {@code false} or a Jinja2 condition
 * @param failedWhen {@code false} or a Jinja2 condition; null for Ansible's rule (non-zero exit)
 * @param when a Jinja2 condition, the gate of a phase in a restart's run ({@link Gate})
 * @param loop a Jinja2 expression of the items (host names) a delegated task loops over
 * @param delegateTo the host each item runs on, with {@code loop}
 * @param ignoreUnreachable keep the host in the run when it cannot be reached (the health play: an
 *     unreachable server must not drop out of the plays that follow)
 */
public record Task(
    String name,
    String module,
    Object args,
    StepScript script,
    Integer timeout,
    Object changedWhen,
    Object failedWhen,
    String when,
    String loop,
    String delegateTo,
    boolean ignoreUnreachable) {
  public static final String RAW = "ansible.builtin.raw";

  public Task {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(args, "args");
  }

  /** The raw task that runs {@code script} on the server. */
  public static Task script(String name, StepScript script, int timeout) {
    return new Task(
        name,
        RAW,
        script.shell(),
        script,
        timeout,
        script.changes(),
        null,
        null,
        null,
        null,
        false);
  }

  public static final String INCLUDE = "ansible.builtin.include_tasks";

  /** Runs the tasks of {@code file} (a site's hook) here. */
  public static Task include(String name, String file) {
    return new Task(name, INCLUDE, file, null, null, null, null, null, null, null, false);
  }

  /**
   * Waits for the daemon to open {@code gate}, and records that it did in the host's fact {@code
   * fact}: the tasks behind the gate run {@code when} that fact holds, so the gate is read once
   * however many tasks it guards.
   */
  public static Task gate(String name, String fact, String condition) {
    return new Task(
        name,
        "ansible.builtin.set_fact",
        java.util.Map.of(fact, true),
        null,
        null,
        null,
        null,
        condition,
        null,
        null,
        false);
  }

  /** Whether it runs a site's task file. */
  public boolean isInclude() {
    return module.equals(INCLUDE);
  }

  /** A raw task that only reads: never changes the server, never fails the host. */
  public static Task read(String name, String cmd, int timeout) {
    return new Task(name, RAW, cmd, null, timeout, false, false, null, null, null, false);
  }

  /** The remote command of a raw task. */
  public String cmd() {
    if (!isRaw()) {
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
        name, module, args, script, timeout, changedWhen, failedWhen, when, loop, delegateTo, true);
  }

  /** The same task, run only when {@code condition} holds. */
  public Task when(String condition) {
    return new Task(
        name,
        module,
        args,
        script,
        timeout,
        changedWhen,
        failedWhen,
        condition,
        loop,
        delegateTo,
        ignoreUnreachable);
  }

  /** The same task, run once per item of {@code items} on the host the item names. */
  public Task delegatedOver(String items) {
    return new Task(
        name,
        module,
        args,
        script,
        timeout,
        changedWhen,
        failedWhen,
        when,
        items,
        "{{ item }}",
        ignoreUnreachable);
  }

  /** The task as Ansible reads it. */
  public Map<String, Object> toYaml() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    putIfSet(m, "when", when);
    m.put(module, args);
    putIfSet(m, "delegate_to", delegateTo);
    putIfSet(m, "loop", loop);
    putIfSet(m, "timeout", timeout);
    putIfSet(m, "changed_when", changedWhen);
    putIfSet(m, "failed_when", failedWhen);
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
