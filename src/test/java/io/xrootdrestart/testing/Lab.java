package io.xrootdrestart.testing;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.ConfigLoader;
import io.xrootdrestart.config.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A lab of simulated XRootD servers ({@code testing/lab/lab}) for one test class: brought up before
 * its first test, always taken down after its last. A lab that cannot start fails the class; it is
 * never skipped. Register with {@code @RegisterExtension static final Lab LAB = Lab.servers(3);}.
 */
public final class Lab implements BeforeAllCallback, AfterAllCallback {
  public static final Path SCRIPT = Path.of("testing/lab/lab").toAbsolutePath();
  private static final Path REPO = Path.of("").toAbsolutePath();

  private final int servers;
  private Path dir;
  private final Map<String, Path> paths = new HashMap<>();

  private Lab(int servers) {
    this.servers = servers;
  }

  public static Lab servers(int n) {
    return new Lab(n);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    up(Path.of("/tmp/xrootdrestart-test-" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)));
  }

  /** Brings the lab up in {@code labDir} (for use outside JUnit, e.g. the benchmarks). */
  public Lab up(Path labDir) {
    dir = labDir;
    Result up = lab("up", Integer.toString(servers));
    if (up.code != 0) {
      lab("down");
      throw new IllegalStateException("the lab did not come up (testing/lab/lab up " + servers + " needs root,"
          + " iproute2, openssh-server and sudo; testing/install-deps installs them):\n" + up.out);
    }
    for (String line : up.out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(eq + 1).startsWith("/")) {
        paths.put(line.substring(0, eq), Path.of(line.substring(eq + 1).strip()));
      }
    }
    return this;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    down();
  }

  public void down() {
    Result down = lab("down");
    if (down.code != 0) {
      throw new IllegalStateException("lab down failed:\n" + down.out);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path inventory() {
    return paths.get("inventory");
  }

  public Path knownHosts() {
    return paths.get("known_hosts");
  }

  /** An ansible.cfg for the admin's runs (setup.yml). */
  public Path ansibleConfig() {
    return paths.get("ansible_cfg");
  }

  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= servers; i++) {
      names.add("lab" + i);
    }
    return names;
  }

  /** {@code lab fault SERVER UNIT KIND ARGS...}. */
  public void fault(String server, String unit, String... kind) {
    List<String> args = new ArrayList<>(List.of("fault", server, unit));
    args.addAll(List.of(kind));
    check(lab(args.toArray(String[]::new)));
  }

  /** Clears every fault and unreachable flag, starts every unit that is not active, and empties the action logs. */
  public void reset() {
    for (String s : names()) {
      unreachable(s, false);
      for (String unit : List.of("xrootd@cluster", "cmsd@cluster")) {
        fault(s, unit, "clear");
        if (!state(s, unit).equals("active")) {
          ssh(s, "/usr/bin/systemctl", "start", unit);
        }
      }
      clearLog(s);
    }
  }

  public void unreachable(String server, boolean on) {
    check(lab("unreachable", server, on ? "on" : "off"));
  }

  /** One systemctl invocation from a server's action log. */
  public record Call(long timeMillis, String server, String verb, String unit, int rc, String user) {
    /** "stop cmsd@cluster", for order assertions. */
    public String action() {
      return verb + " " + unit;
    }
  }

  public List<Call> log(String server) {
    List<Call> calls = new ArrayList<>();
    for (String line : check(lab("log", server)).split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 6) {
        calls.add(new Call(Long.parseLong(f[0]), f[1], f[2], f[3], Integer.parseInt(f[4]), f[5]));
      }
    }
    return calls;
  }

  /** The log without read-only calls (is-active, show, status): what changed a unit, in order. */
  public List<String> actions(String server) {
    return log(server).stream().filter(c -> List.of("start", "stop", "restart", "kill", "reboot").contains(c.verb()))
        .map(Call::action).toList();
  }

  public void clearLog(String server) {
    check(lab("log", server, "--clear"));
  }

  /** The state of a unit, read over SSH as root. */
  public String state(String server, String unit) {
    Result r = lab("ssh", server, "/usr/bin/systemctl", "is-active", unit);
    return r.out.strip();
  }

  /** Runs a command on a server as root; returns its output. */
  public Result ssh(String server, String... command) {
    List<String> args = new ArrayList<>(List.of("ssh", server));
    args.addAll(List.of(command));
    return lab(args.toArray(String[]::new));
  }

  /**
   * Writes a config file for the daemon into {@code configDir} (state, key and inventory pointing at
   * this lab, alerts and metrics off unless {@code overrides} say otherwise), provisions every server
   * with playbooks/setup.yml as the admin, and returns the daemon's config.
   */
  public Config provision(Path configDir, Map<String, Object> overrides) throws Exception {
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("cluster_id", "lab");
    cfg.put("inventory", inventory().toString());
    cfg.put("state_dir", configDir.resolve("state").toString());
    cfg.put("pkey_path", configDir.toString());
    cfg.put("alert_url", "");
    cfg.put("pushgw_url", "");
    cfg.put("metrics_bind", "127.0.0.1");
    cfg.put("metrics_port", Ports.free());
    cfg.put("service_timeout", 10);
    cfg.put("cmsd_wait", 1);
    cfg.putAll(overrides);
    Files.createDirectories(configDir);
    Path file = configDir.resolve("xrootdrestart.yml");
    new YAMLMapper().writeValue(file.toFile(), cfg);
    Result setup = run(Map.of("ANSIBLE_CONFIG", ansibleConfig().toString()), "ansible-playbook", "-i",
        inventory().toString(), REPO.resolve("playbooks/setup.yml").toString(), "-e", "xrootdrestart_config=" + file);
    if (setup.code != 0) {
      throw new IllegalStateException("setup.yml failed on the lab:\n" + setup.out);
    }
    return new ConfigLoader(new Platform(true, configDir, configDir, Map.of())).load(Optional.of(file), Map.of());
  }

  /** The exit code and the combined output of a command. */
  public record Result(int code, String out) {}

  private Result lab(String... args) {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
    command.addAll(List.of(args));
    return run(Map.of("LAB_DIR", dir.toString()), command.toArray(String[]::new));
  }

  private static String check(Result r) {
    if (r.code != 0) {
      throw new IllegalStateException("lab command failed (" + r.code + "):\n" + r.out);
    }
    return r.out;
  }

  public static Result run(Map<String, String> env, String... command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(REPO.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, out + "\n(timed out)");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, e.toString());
    }
  }
}
