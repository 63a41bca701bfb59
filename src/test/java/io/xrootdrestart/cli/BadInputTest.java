package io.xrootdrestart.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.Cli;
import io.xrootdrestart.testing.UsesTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad configuration input: exit code 2, and a message naming the file, the line and the key. */
@UsesTools
class BadInputTest {
  @TempDir Path dir;

  static Stream<Arguments> badFiles() {
    return Stream.of(
        // file text, line, key ("" when the problem is the file itself), part of the message
        Arguments.of("cmsd_period: abc\n", 1, "cmsd_period", "expected a duration"),
        Arguments.of("cluster_id: a\ncmsd_period: 0\n", 2, "cmsd_period", "greater than 0"),
        Arguments.of("cmsd_wait: -5\n", 1, "cmsd_wait", "must not be negative"),
        Arguments.of("service_timeout: 0s\n", 1, "service_timeout", "greater than 0"),
        Arguments.of("min_ok: -1\n", 1, "min_ok", "between 0 and"),
        Arguments.of("min_ok: two\n", 1, "min_ok", "expected a whole number"),
        Arguments.of("min_ok: 1.5\n", 1, "min_ok", "expected a whole number"),
        Arguments.of("metrics_port: 0\n", 1, "metrics_port", "between 1 and 65535"),
        Arguments.of("# c\n\nmetrics_port: 65536\n", 3, "metrics_port", "between 1 and 65535"),
        Arguments.of("metrics_method: PULLL\n", 1, "metrics_method", "expected one of PULL, PUSH"),
        Arguments.of("metrics_method:\n", 1, "metrics_method", "expected one of PULL, PUSH"),
        Arguments.of("log_level: LOUD\n", 1, "log_level", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        Arguments.of("alert_url: localhost:9093\n", 1, "alert_url", "http:// or https://"),
        Arguments.of("pushgw_url: http://\n", 1, "pushgw_url", "URL"),
        Arguments.of(
            "min_ok: 1\nalert_user: bob\n", 2, "alert_user", "set alert_password_file too"),
        Arguments.of(
            "pushgw_url: ''\nmetrics_method: PUSH\n", 2, "metrics_method", "PUSH needs pushgw_url"),
        Arguments.of(
            "alert_token_file: /nonexistent/token\n",
            1,
            "alert_token_file",
            "cannot read /nonexistent/token"),
        Arguments.of("alert_resend: 0\n", 1, "alert_resend", "at least"),
        Arguments.of(
            "external_url: status.example.org\n", 1, "external_url", "http:// or https://"),
        Arguments.of("prom_url: http://a b/\n", 1, "prom_url", "not a URL"),
        Arguments.of("cmsd_svc: 'cmsd@cluster; reboot'\n", 1, "cmsd_svc", "not a valid unit name"),
        Arguments.of("xrootd_svc: xrootd@\n", 1, "xrootd_svc", "is a template"),
        Arguments.of("xrootd_svc: ssh.socket\n", 1, "xrootd_svc", "not a service unit"),
        Arguments.of("cmsd_waitt: 5\n", 1, "cmsd_waitt", "unknown key (did you mean cmsd_wait?)"),
        Arguments.of(
            "min_ok: 1\nservers: a.example.org, b.example.org\n", 2, "servers", "migrate-config"),
        Arguments.of(
            "cluster_id: [a, b]\n", 1, "cluster_id", "expected a single value, got a list"),
        Arguments.of("ssh_user: Root User\n", 1, "ssh_user", "expected a user name"),
        Arguments.of("pkey_name: keys/id\n", 1, "pkey_name", "file name"),
        Arguments.of("state_dir: ''\n", 1, "state_dir", "a path is required"),
        Arguments.of("inventory_group: my group\n", 1, "inventory_group", "Ansible group name"),
        Arguments.of("min_ok: 1\nmin_ok: 2\n", 2, "min_ok", "set twice (first on line 1)"),
        Arguments.of("cluster_id: a\n  bad: [\n", 2, "", "YAML syntax error"),
        Arguments.of(
            "cluster_id: a\nalert_password_file: .inf\n",
            2,
            "alert_password_file",
            "YAML syntax error: Malformed numeric value"),
        Arguments.of("", 1, "", "config file is empty"),
        Arguments.of("# only a comment\n", 1, "", "config file is empty"),
        Arguments.of("- cluster_id: a\n", 1, "", "must be a mapping"),
        Arguments.of("cluster_id: a\n---\ncluster_id: b\n", 3, "", "only one YAML document"),
        Arguments.of("window_days: Mon-Fry\n", 1, "window_days", "expected days such as Mon-Fri"),
        Arguments.of(
            "window_start: 25:00\nwindow_end: 04:00\n",
            1,
            "window_start",
            "expected a time of day"),
        Arguments.of("window_start: '22:00'\n", 1, "window_start", "set window_end too"),
        Arguments.of(
            "window_timezone: Mars/Olympus\n", 1, "window_timezone", "expected a time zone"),
        Arguments.of(
            "block_on_alerts: '(Disk'\nprom_url: http://p:9090\n",
            1,
            "block_on_alerts",
            "not a regular expression"),
        Arguments.of("block_on_alerts: Disk.*\n", 1, "block_on_alerts", "needs prom_url"),
        Arguments.of("escalate_reboot: maybe\n", 1, "escalate_reboot", "expected true or false"),
        Arguments.of(
            "health_check: xrdfs\n", 1, "health_check", "expected one of systemd, xrootd, got"),
        Arguments.of("xrootd_port: 0\n", 1, "xrootd_port", "between 1 and 65535"),
        Arguments.of("verify_timeout: 0\n", 1, "verify_timeout", "greater than 0"),
        Arguments.of(
            "start_order: cmsd\n",
            1,
            "start_order",
            "expected one of xrootd_first, cmsd_first, got"),
        Arguments.of("drain_until_idle: sometimes\n", 1, "drain_until_idle", "expected true or"),
        Arguments.of("remedial_per_day: -1\n", 1, "remedial_per_day", "between 0 and 1000"),
        Arguments.of("remedial_per_day: two\n", 1, "remedial_per_day", "a whole number"),
        Arguments.of("restart_when: up == 0\n", 1, "restart_when", "needs prom_url"),
        Arguments.of(
            "restart_when_label: 'host name'\n",
            1,
            "restart_when_label",
            "expected a Prometheus label name"),
        Arguments.of(
            "alert_url: http://am:9093\n"
                + "silence_matchers:\n"
                + "  - instance=~\"{node}\"\n"
                + "  - job~\"x\"\n",
            2,
            "silence_matchers",
            "expected =, !=, =~ or !~"),
        Arguments.of(
            "alert_url: http://am:9093\nsilence_matchers: job=\"node\"\n",
            2,
            "silence_matchers",
            "no matcher names the server with {node}"),
        Arguments.of(
            "alert_url: http://am:9093\nsilence_matchers: instance=~\"{node}(\"\n",
            2,
            "silence_matchers",
            "not a valid regular expression"),
        Arguments.of(
            "alert_url: \"\"\nsilence_matchers: instance=\"{node}\"\n",
            2,
            "silence_matchers",
            "needs alert_url"));
  }

  @ParameterizedTest(name = "[{index}] line {1} {2}: {3}")
  @MethodSource("badFiles")
  void badFileIsRefusedNamingFileLineAndKey(String text, int line, String key, String message)
      throws Exception {
    Path f = dir.resolve("bad.yml");
    Files.writeString(f, text);
    Cli.Result r = new Cli(dir).run("check", "--config", f.toString());
    assertEquals(2, r.exitCode(), r.toString());
    String expected = "error: " + f + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ");
    assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in\n" + r);
    assertTrue(r.err().contains(message), "expected \"" + message + "\" in\n" + r);
    assertEquals("", r.out(), "nothing but the error is printed");
  }

  @Test
  void badEnvironmentValueNamesTheVariable() {
    Cli.Result r = new Cli(dir).env("XROOTDRESTART_MIN_OK", "many").run("check");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(
        r.err()
            .contains("error: environment XROOTDRESTART_MIN_OK: min_ok: expected a whole number"),
        r.toString());
  }

  @Test
  void unknownEnvironmentVariableIsRefusedWithASuggestion() {
    Cli.Result r = new Cli(dir).env("XROOTDRESTART_CMSD_WAITT", "5").run("check");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(
        r.err()
            .contains(
                "XROOTDRESTART_CMSD_WAITT: unknown setting (did you mean"
                    + " XROOTDRESTART_CMSD_WAIT?)"),
        r.toString());
  }

  @Test
  void badOptionValueNamesTheOption() {
    Cli.Result r = new Cli(dir).run("check", "--cmsd-wait=-1");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(
        r.err().contains("error: command line --cmsd-wait: cmsd_wait: must not be negative"),
        r.toString());
  }

  @Test
  void unknownOptionIsAUsageErrorWithASuggestion() {
    Cli.Result r = new Cli(dir).run("check", "--cmsd-wiat=5");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("--cmsd-wait"), r.toString());
    assertTrue(r.err().contains("Run 'xrootdrestart check --help' for usage."), r.toString());
  }

  @Test
  void missingConfigFileIsBadInput() {
    Cli.Result r = new Cli(dir).run("check", "--config", "absent.yml");
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(
        r.err()
            .contains(
                "error: command line --config: config file "
                    + dir.resolve("absent.yml")
                    + " not found"),
        r.toString());
  }

  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = new Cli(dir).run();
    assertEquals(2, r.exitCode(), r.toString());
    assertTrue(r.err().contains("a command is required"), r.toString());
  }
}
