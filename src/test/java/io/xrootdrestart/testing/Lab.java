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
 * never skipped. Register with {@code @RegisterExtension static final Lab LAB = Lab.servers(3);},
 * or {@code Lab.shared(3)} for the one 3-server lab that all classes so registered share: it comes
 * up once, is provisioned with setup.yml once, and goes down when the whole run ends; each class
 * then starts from {@link #reset()}.
 */
public final class Lab implements BeforeAllCallback, AfterAllCallback {
  public static final Path SCRIPT = Path.of("testing/lab/lab").toAbsolutePath();
  private static final Path REPO = Path.of("").toAbsolutePath();

  /** What setup.yml leaves in a config directory that another class on the same lab can reuse. */
  private static final List<String> PROVISIONED =
      List.of("xrootdrestartkey", "xrootdrestartkey.pub", "state/known_hosts");

  private static final Map<Integer, Lab> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

  private final int servers;
  private final boolean xrootd;
  private final boolean shared;

  /**
   * A config directory that setup.yml provisioned on this lab: its key and known_hosts can be
   * reused.
   */
  private Path provisioned;

  private Path dir;
  private final Map<String, Path> paths = new HashMap<>();

  private Lab(int servers, boolean xrootd, boolean shared) {
    this.servers = servers;
    this.xrootd = xrootd;
    this.shared = shared;
  }

  public static Lab servers(int n) {
    return new Lab(n, false, false);
  }

  /** The lab of {@code n} simulated servers that every class registering it shares. */
  public static Lab shared(int n) {
    return SHARED.computeIfAbsent(n, k -> new Lab(k, false, true));
  }

  /**
   * A lab whose servers run the real {@code cmsd} and {@code xrootd} behind a real redirector
   * ({@code lab up N --xrootd}), with a client namespace for the load.
   */
  public Lab withXrootd() {
    return new Lab(servers, true, false);
  }

  /**
   * Tells apart the labs of two checkouts tested at once on one machine (the lab directories, and
   * so the lab ids, would collide otherwise).
   */
  private static final String CHECKOUT =
      Integer.toHexString(Path.of("").toAbsolutePath().toString().hashCode());

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    if (shared) {
      if (dir == null) {
        up(Path.of("/tmp/xrootdrestart-test-" + CHECKOUT + "-shared" + servers));
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .put(
                Lab.class.getName() + servers,
                (ExtensionContext.Store.CloseableResource) this::down);
      }
      reset();
      return;
    }
    up(
        Path.of(
            "/tmp/xrootdrestart-test-"
                + CHECKOUT
                + "-"
                + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)));
  }

  /** Brings the lab up in {@code labDir} (for use outside JUnit, e.g. the benchmarks). */
  public Lab up(Path labDir) {
    dir = labDir;
    Result up =
        xrootd
            ? lab("up", Integer.toString(servers), "--xrootd")
            : lab("up", Integer.toString(servers));
    if (up.code != 0) {
      lab("down");
      throw new IllegalStateException(
          "the lab did not come up (testing/lab/lab up "
              + servers
              + (xrootd ? " --xrootd" : "")
              + " needs root, iproute2, openssh-server and sudo, and with --xrootd Debian's"
              + " xrootd-server and xrootd-client; testing/install-deps installs them):\n"
              + up.out);
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
    if (!shared) {
      down();
    }
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

  /**
   * {@code layout.json} of a lab with real XRootD: the redirector, the client namespace, the files.
   */
  public Path layout() {
    return paths.get("layout");
  }

  /**
   * The real daemons' pids on a server of a lab with real XRootD: unit name ("cmsd", "xrootd") to
   * pid, or "-".
   */
  public Map<String, String> pids(String server) {
    Map<String, String> pids = new LinkedHashMap<>();
    for (String line : check(lab("pids", server)).split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 2) {
        pids.put(f[0], f[1]);
      }
    }
    return pids;
  }

  /**
   * {@code lab subscribed}: exit 0 when every data server is in the cluster; the output says which
   * are not.
   */
  public Result subscribed() {
    return lab("subscribed");
  }

  /** Runs a command in the client namespace of a lab with real XRootD. */
  public Result client(String... command) {
    List<String> args = new ArrayList<>(List.of("client"));
    args.addAll(List.of(command));
    return lab(args.toArray(String[]::new));
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

  /**
   * Clears every fault and unreachable flag, starts every unit that is not active, and empties the
   * action logs.
   */
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
  public record Call(
      long timeMillis, String server, String verb, String unit, int rc, String user) {
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
    return log(server).stream()
        .filter(c -> List.of("start", "stop", "restart", "kill", "reboot").contains(c.verb()))
        .map(Call::action)
        .toList();
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
   * Writes a config file for the daemon into {@code configDir} (state, key and inventory pointing
   * at this lab, alerts and metrics off unless {@code overrides} say otherwise), provisions every
   * server with playbooks/setup.yml as the admin, and returns the daemon's config.
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
    Platform platform = new Platform(true, configDir, configDir, Map.of());
    if (shared
        && provisioned != null
        && !overrides.containsKey("ssh_user")
        && !overrides.containsKey("pkey_name")) {
      // The servers already have the daemon's account, key and sudo rule: reuse the key and host
      // keys.
      Files.createDirectories(configDir.resolve("state"));
      for (String f : PROVISIONED) {
        Files.copy(
            provisioned.resolve(f),
            configDir.resolve(f),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
      return new ConfigLoader(platform).load(Optional.of(file), Map.of());
    }
    setup(file);
    if (shared && !overrides.containsKey("ssh_user") && !overrides.containsKey("pkey_name")) {
      // Kept in the lab's own directory: the class's config directory goes with the class.
      provisioned = dir.resolve("provisioned");
      Files.createDirectories(provisioned.resolve("state"));
      for (String f : PROVISIONED) {
        Files.copy(
            configDir.resolve(f),
            provisioned.resolve(f),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING,
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    return new ConfigLoader(platform).load(Optional.of(file), Map.of());
  }

  /**
   * Runs playbooks/setup.yml as the admin with the daemon's config file {@code configFile} and
   * {@code extraVars} ("NAME=VALUE", each passed with -e); fails unless it succeeds.
   */
  public Result setup(Path configFile, String... extraVars) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "ansible-playbook",
                "-i",
                inventory().toString(),
                REPO.resolve("playbooks/setup.yml").toString(),
                "-e",
                "xrootdrestart_config=" + configFile,
                "-e",
                "xrootdrestart_jar=" + CliLauncher.path()));
    for (String v : extraVars) {
      command.addAll(List.of("-e", v));
    }
    Result setup =
        run(Map.of("ANSIBLE_CONFIG", ansibleConfig().toString()), command.toArray(String[]::new));
    if (setup.code != 0) {
      throw new IllegalStateException("setup.yml failed on the lab:\n" + setup.out);
    }
    return setup;
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
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).directory(REPO.toFile());
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
