package io.xrootdrestart.config;

import static io.xrootdrestart.config.ValueTypes.duration;
import static io.xrootdrestart.config.ValueTypes.integer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Every configuration key, in the order the README and {@code check} list them: the one place a key
 * is declared. Its environment variable, option, help, README row ({@code ReadmeTest} prints the
 * table) and lines in the commented config file ({@link ConfigTemplate}) all come from here, and
 * {@code playbooks/setup.yml} reads the settings through the jar ({@code xrootdrestart settings}).
 * The names and defaults of the predecessor's keys are kept so that sites can switch.
 */
public final class Keys {
  private static final List<Key<?>> ALL = new ArrayList<>();
  private static final Duration POSITIVE = Duration.ofMillis(1);

  public static final Key<String> CLUSTER_ID =
      add(
          "cluster_id",
          ValueTypes.matching(
              Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}"),
              "a cluster name (letters, digits, '_', '-', '.', ':')"),
          "production",
          "NAME",
          "Name of this cluster; the `cluster` label on every metric and alert.");
  public static final Key<Duration> CMSD_PERIOD =
      add(
          "cmsd_period",
          duration(POSITIVE),
          "259200",
          "`259200` (3 days)",
          "DURATION",
          "Every server is restarted once per period; restarts start period/N apart.");
  public static final Key<Duration> CMSD_WAIT =
      add(
          "cmsd_wait",
          duration(Duration.ZERO),
          "300",
          "DURATION",
          "Time between stopping cmsd (the redirector stops sending new clients) and"
              + " stopping xrootd (connected clients finish).");
  public static final Key<Duration> SERVICE_TIMEOUT =
      add(
          "service_timeout",
          duration(POSITIVE),
          "120",
          "DURATION",
          "How long a unit may take to stop or start before the step fails.");
  public static final Key<Duration> CONNECT_TIMEOUT =
      add(
          "connect_timeout",
          duration(POSITIVE),
          "10",
          "DURATION",
          "How long an SSH connection may take; a server that does not answer within it is"
              + " unreachable.");
  public static final Key<Integer> MIN_OK =
      add(
          "min_ok",
          integer(0, 100_000),
          "1",
          "NUMBER",
          "A restart starts only if at least this many other servers are healthy (both units"
              + " active).");
  public static final Key<Integer> MAX_PARALLEL =
      add(
          "max_parallel",
          integer(0, 100_000),
          "0",
          "`0` (no limit)",
          "NUMBER",
          "With several rotations (child groups of `inventory_group`): at most this many restarts"
              + " under way at once across all of them. A rotation whose slot comes while the limit"
              + " is reached waits for a restart elsewhere to end. 0: no limit (one per"
              + " rotation).");
  public static final Key<LogLevel> LOG_LEVEL =
      add(
          "log_level",
          ValueTypes.oneOf(
              LogLevel.class, Map.of("WARN", LogLevel.WARNING, "FATAL", LogLevel.CRITICAL)),
          "INFO",
          "LEVEL",
          "`DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`.");
  public static final Key<Optional<Path>> LOG_FILE =
      add(
          "log_file",
          ValueTypes.optionalPath(),
          "",
          "PATH",
          "Also log to this file (the Python tool used `/var/log/xrootdrestart.log`). Blank:"
              + " standard error only, which journald collects; the service that `setup.yml`"
              + " installs then passes `--log-file /var/log/xrootdrestart.log`.");
  public static final Key<Integer> METRICS_PORT =
      add(
          "metrics_port",
          integer(1, 65535),
          "8000",
          "PORT",
          "Port of the daemon's HTTP server: the status page `/`, `/status`, `/metrics`,"
              + " `/-/healthy`.");
  public static final Key<String> METRICS_BIND =
      add(
          "metrics_bind",
          ValueTypes.matching(
              Pattern.compile("[A-Za-z0-9.:\\-\\[\\]]+"), "an IP address or host name"),
          "0.0.0.0",
          "ADDRESS",
          "Address the HTTP server listens on (`127.0.0.1` to serve the status page only through a"
              + " reverse proxy: see \"The status page\").");
  public static final Key<MetricsMethod> METRICS_METHOD =
      add(
          "metrics_method",
          ValueTypes.oneOf(MetricsMethod.class, Map.of()),
          "PULL",
          "PULL|PUSH",
          "`PULL`: Prometheus scrapes `/metrics`. `PUSH`: the daemon also pushes to `pushgw_url`"
              + " every 5 s (job `xrootdrestart`, grouped by `instance`); a Pushgateway that is"
              + " down is logged and counted, never stops restarts.");
  public static final Key<Optional<URI>> EXTERNAL_URL =
      add(
          "external_url",
          ValueTypes.optionalHttpUrl(),
          "",
          "URL",
          "How others reach the daemon's HTTP server; alerts' `generatorURL` links to its `/status`"
              + " page. Blank: `http://HOSTNAME:metrics_port`.");
  public static final Key<Optional<URI>> ALERT_URL =
      add(
          "alert_url",
          ValueTypes.optionalHttpUrl(),
          "http://localhost:9093",
          "URL",
          "Alertmanager base URL (blank: no alerts).");
  public static final Key<java.util.List<io.xrootdrestart.silence.Matcher>> SILENCE_MATCHERS =
      add(
          "silence_matchers",
          ValueTypes.matchers(),
          "",
          "MATCHERS",
          "Alertmanager matchers (a YAML list, or comma-separated) of the site's own alerts about a"
              + " server, `{node}` standing for its name, e.g. `instance=~\"{node}(:[0-9]+)?\"`."
              + " Before a server's drain the daemon creates a silence with them at `alert_url`"
              + " (plus `service!=\"xrootdrestart\"`, so its own alerts are never silenced),"
              + " extends it while the restart runs, and expires it when the restart ends, whatever"
              + " the outcome. Its id is in the state file first, so a silence left by a crash is"
              + " expired at the next start. Alertmanager being down never holds a restart"
              + " (`xrootdrestart_silence_failures_total`). Blank: no silences.");
  public static final Key<Duration> ALERT_RESEND =
      add(
          "alert_resend",
          duration(Duration.ofSeconds(1)),
          "60",
          "DURATION",
          "A firing alert is sent again this often, with `endsAt` 4 times as far ahead, so"
              + " Alertmanager never resolves it by itself.");
  public static final Key<String> ALERT_USER =
      add(
          "alert_user",
          ValueTypes.text(true),
          "",
          "USER",
          "User for HTTP basic auth to Alertmanager (with `alert_password_file`; blank: none).");
  public static final Key<Optional<Path>> ALERT_PASSWORD_FILE =
      add(
          "alert_password_file",
          ValueTypes.optionalPath(),
          "",
          "PATH",
          "File holding the basic auth password; read at each send, never logged.");
  public static final Key<Optional<Path>> ALERT_TOKEN_FILE =
      add(
          "alert_token_file",
          ValueTypes.optionalPath(),
          "",
          "PATH",
          "File holding a bearer token for Alertmanager, instead of basic auth; read at each send,"
              + " never logged.");
  public static final Key<Optional<URI>> PUSHGW_URL =
      add(
          "pushgw_url",
          ValueTypes.optionalHttpUrl(),
          "http://localhost:9091",
          "URL",
          "Pushgateway base URL, used when `metrics_method` is `PUSH`.");
  public static final Key<Optional<URI>> PROM_URL =
      add(
          "prom_url",
          ValueTypes.optionalHttpUrl(),
          "",
          "URL",
          "Prometheus base URL (blank: not used).");
  public static final Key<String> SSH_USER =
      add(
          "ssh_user",
          ValueTypes.userName(),
          "xrootdrestart",
          "USER",
          "Account the daemon logs in as on every server (created by `setup.yml`).");
  public static final Key<String> PKEY_NAME =
      add(
          "pkey_name",
          ValueTypes.fileName(),
          "xrootdrestartkey",
          "FILE",
          "File name of the daemon's SSH private key.");
  public static final Key<Path> PKEY_PATH =
      add(
          "pkey_path",
          ValueTypes.path(),
          d -> d.configDir().toString(),
          "the config file's directory",
          "DIR",
          "Directory of the SSH key.");
  public static final Key<String> CMSD_SVC =
      add(
          "cmsd_svc",
          ValueTypes.unitName(),
          "cmsd@cluster",
          "UNIT",
          "The cmsd unit (an inventory host may override it with host var `cmsd_svc`).");
  public static final Key<String> XROOTD_SVC =
      add(
          "xrootd_svc",
          ValueTypes.unitName(),
          "xrootd@cluster",
          "UNIT",
          "The xrootd unit (an inventory host may override it with host var `xrootd_svc`).");
  public static final Key<HealthCheckKind> HEALTH_CHECK =
      add(
          "health_check",
          ValueTypes.lowerCaseOneOf(HealthCheckKind.class),
          "systemd",
          "systemd|xrootd",
          "What healthy means, for the guard and for a finished restart. `systemd`: both units"
              + " active (what the Python tool checked). `xrootd`: both units active, and the"
              + " server's xrootd answers `query config cms` on `xrootd_port` within a few seconds"
              + " and says it is logged in to its cmsd and in the cluster; needs `xrdfs` on each"
              + " server (`setup.yml` checks).");
  public static final Key<Optional<Path>> PRE_RESTART_TASKS =
      add(
          "pre_restart_tasks",
          ValueTypes.optionalPath(),
          "",
          "PATH",
          "An Ansible task file of the site's own (relative paths: from the config file's"
              + " directory), run on the server right before its cmsd is stopped, in the same run;"
              + " its tasks may `delegate_to` other hosts (the redirector, a load balancer). If it"
              + " fails, nothing on the server is stopped, the restart alert names the task and its"
              + " message, and the rotation moves on. Checked with `ansible-playbook"
              + " --syntax-check` at start and by `check` (a broken file: exit 2).");
  public static final Key<Optional<Path>> POST_RESTART_TASKS =
      add(
          "post_restart_tasks",
          ValueTypes.optionalPath(),
          "",
          "PATH",
          "Like `pre_restart_tasks`, run after the restart, once both units are active (and, with"
              + " `health_check: xrootd`, the server serves again). If it fails, the server is up"
              + " and the restart alert says that the task failed.");
  public static final Key<Duration> HEALTH_MAX_AGE =
      add(
          "health_max_age",
          duration(Duration.ZERO),
          "0",
          "DURATION",
          "0: every restart's run reads the whole fleet's health first (what the Python tool did)."
              + " Above 0, for large fleets: a run reads the target, the server restarted last,"
              + " every server that was unhealthy or not yet read, and the oldest other readings,"
              + " as many as keep each one younger than this; the guard counts the rest by their"
              + " last reading. A server that failed since its last reading counts as healthy until"
              + " it is read again, so keep `min_ok` a margin below the fleet's size. The first run"
              + " after a start, and `plan`, read the whole fleet.");
  public static final Key<Integer> XROOTD_PORT =
      add(
          "xrootd_port",
          integer(1, 65535),
          "1094",
          "PORT",
          "The port xrootd answers on, for `health_check: xrootd` (an inventory host may override"
              + " it with host var `xrootd_port`).");
  public static final Key<Duration> VERIFY_TIMEOUT =
      add(
          "verify_timeout",
          duration(POSITIVE),
          "30",
          "DURATION",
          "With `health_check: xrootd`, how long after its units started a restarted server may"
              + " take to serve again (in the cluster) before the restart fails with \"not serving"
              + " after restart\".");
  public static final Key<StartOrder> START_ORDER =
      add(
          "start_order",
          ValueTypes.lowerCaseOneOf(StartOrder.class),
          "cmsd_first",
          "xrootd_first|cmsd_first",
          "Which unit a restart starts first once xrootd has stopped. `cmsd_first`: the server"
              + " serves again 0.2 s after its start; `xrootd_first` (the Python tool's order):"
              + " 9.5 s, since xrootd looks for its cmsd only every 10 s (measured with"
              + " `testing/bench/clients`). A data server's cmsd logs in to the manager only after"
              + " its xrootd has, so either order is safe.");
  public static final Key<Boolean> DRAIN_UNTIL_IDLE =
      add(
          "drain_until_idle",
          ValueTypes.bool(),
          "true",
          "BOOL",
          "After cmsd stops, end the wait before xrootd stops as soon as no file is open on the"
              + " server for reading or writing (`xrdfs localhost:PORT query stats a`, asked every"
              + " second on the server), at most `cmsd_wait`. Off: always wait the whole"
              + " `cmsd_wait`, as the Python tool did. Where the statistics cannot be read (no"
              + " `xrdfs` on the server) the wait runs to `cmsd_wait`.");
  public static final Key<String> INVENTORY =
      add(
          "inventory",
          ValueTypes.inventorySource(),
          d -> d.configDir().resolve("hosts.yml").toString(),
          "`hosts.yml` in the config file's directory",
          "INVENTORY",
          "Ansible inventory: a path (file, directory or script) or a comma-separated host list.");
  public static final Key<String> INVENTORY_GROUP =
      add(
          "inventory_group",
          ValueTypes.matching(Pattern.compile("[A-Za-z_][A-Za-z0-9_]*"), "an Ansible group name"),
          "xrootd_servers",
          "GROUP",
          "Inventory group that holds the servers, restarted in inventory order.");
  public static final Key<Path> STATE_DIR =
      add(
          "state_dir",
          ValueTypes.path(),
          d -> d.stateDir().toString(),
          "`/var/lib/xrootdrestart` (root), else `~/.local/state/xrootdrestart`",
          "DIR",
          "Durable state, known_hosts, run records.");
  public static final Key<Integer> RUN_RETENTION =
      add(
          "run_retention",
          integer(1, 1_000_000),
          "1000",
          "NUMBER",
          "How many run directories (playbook, events, exit code of each Ansible run) to keep under"
              + " `state_dir/runs`.");
  public static final Key<java.util.Set<java.time.DayOfWeek>> WINDOW_DAYS =
      add(
          "window_days",
          ValueTypes.days(),
          "",
          "blank (every day)",
          "DAYS",
          "Maintenance window days, e.g. `Mon-Fri` or `Mon,Wed,Fri`. No restart starts"
              + " outside the window; a slot that falls outside moves to the next opening.");
  public static final Key<Optional<java.time.LocalTime>> WINDOW_START =
      add(
          "window_start",
          ValueTypes.optionalTimeOfDay(),
          "",
          "HH:MM",
          "Window start, `HH:MM`. Blank (with `window_end` blank): all day.");
  public static final Key<Optional<java.time.LocalTime>> WINDOW_END =
      add(
          "window_end",
          ValueTypes.optionalTimeOfDay(),
          "",
          "HH:MM",
          "Window end, `HH:MM`; earlier than `window_start` means the window runs past midnight"
              + " (`22:00`-`04:00`).");
  public static final Key<Optional<java.time.ZoneId>> WINDOW_TIMEZONE =
      add(
          "window_timezone",
          ValueTypes.optionalZone(),
          "",
          "blank (this machine's zone)",
          "ZONE",
          "Time zone of the window, e.g. `Europe/Zurich`.");
  public static final Key<Optional<Pattern>> BLOCK_ON_ALERTS =
      add(
          "block_on_alerts",
          ValueTypes.optionalRegex(),
          "",
          "blank (off)",
          "REGEX",
          "A regular expression: while Prometheus (`prom_url`) has a firing alert whose name"
              + " matches (other than xrootdrestart's own), restarts are held as if too few servers"
              + " were healthy.");
  public static final Key<Integer> REMEDIAL_PER_DAY =
      add(
          "remedial_per_day",
          integer(0, 1000),
          "2",
          "NUMBER",
          "At most this many out-of-turn restarts of one server in 24 hours: of a server whose"
              + " units are active but which does not serve (`health_check: xrootd`: frozen, not in"
              + " the cluster), or which `restart_when` names. Beyond it, the server's restart"
              + " alert fires instead. 0: never out of turn (the alert only).");
  public static final Key<Optional<String>> RESTART_WHEN =
      add(
          "restart_when",
          ValueTypes.optionalText(),
          "",
          "blank (off)",
          "PROMQL",
          "A PromQL expression asked of Prometheus (`prom_url`) at each slot: every server named"
              + " by the label `restart_when_label` of a series in its result is due for an"
              + " out-of-turn restart, under the guard and `remedial_per_day`. A query that fails"
              + " holds nothing and triggers nothing (it is logged and counted).");
  public static final Key<String> RESTART_WHEN_LABEL =
      add(
          "restart_when_label",
          ValueTypes.matching(Pattern.compile("[A-Za-z_][A-Za-z0-9_]*"), "a Prometheus label name"),
          "instance",
          "LABEL",
          "The label of `restart_when`'s series that names the server (its inventory name or"
              + " address; a `:port` after it is ignored).");
  public static final Key<Boolean> ESCALATE_REBOOT =
      add(
          "escalate_reboot",
          ValueTypes.bool(),
          "false",
          "BOOL",
          "Reboot a server whose unit will not stop even after SIGKILL, as a last resort. Off:"
              + " nothing ever reboots. `setup.yml` adds `systemctl reboot` to the sudo rule only"
              + " when this is on.");

  private Keys() {}

  /**
   * A key with a fixed default, which the README states as it is ({@code `300`}, or {@code blank}).
   */
  private static <T> Key<T> add(
      String name, ValueParser<T> parser, String defaultValue, String label, String doc) {
    return register(new Key<>(name, parser, d -> defaultValue, null, label, doc));
  }

  /** A key with a fixed default that the README states with a note ({@code `259200` (3 days)}). */
  private static <T> Key<T> add(
      String name,
      ValueParser<T> parser,
      String defaultValue,
      String defaultDoc,
      String label,
      String doc) {
    return register(new Key<>(name, parser, d -> defaultValue, defaultDoc, label, doc));
  }

  /**
   * A key whose default is computed (from the config file's directory, or the user); the README
   * says how.
   */
  private static <T> Key<T> add(
      String name,
      ValueParser<T> parser,
      Function<Defaults, String> defaultValue,
      String defaultDoc,
      String label,
      String doc) {
    return register(
        new Key<>(
            name, parser, defaultValue, java.util.Objects.requireNonNull(defaultDoc), label, doc));
  }

  private static <T> Key<T> register(Key<T> key) {
    ALL.add(key);
    return key;
  }

  /** All keys in declaration order. */
  public static List<Key<?>> all() {
    return Collections.unmodifiableList(ALL);
  }

  public static Optional<Key<?>> byName(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }
}
