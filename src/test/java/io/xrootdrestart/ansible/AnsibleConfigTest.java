package io.xrootdrestart.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xrootdrestart.testing.UsesTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated ansible.cfg, as Ansible itself reads it ({@code ansible-config dump}). */
@UsesTools
class AnsibleConfigTest {
  @TempDir Path dir;

  @Test
  void ansibleReadsEverySettingWeWrite() throws Exception {
    RunnerSettings s =
        new RunnerSettings(
            "inv.yml",
            dir,
            "xrootdrestart",
            dir.resolve("key"),
            Duration.ofMinutes(6),
            Duration.ofSeconds(7),
            5);
    Path cfg = dir.resolve("ansible.cfg");
    Files.writeString(cfg, AnsibleConfig.render(s, dir.resolve("cp 1")));
    Map<String, String> dump = dump(cfg);
    assertEquals(AnsibleConfig.INTERNAL_POLL_INTERVAL, dump.get("DEFAULT_INTERNAL_POLL_INTERVAL"));
    assertEquals("7", dump.get("DEFAULT_TIMEOUT"));
    assertEquals("ansible.posix.jsonl", dump.get("DEFAULT_STDOUT_CALLBACK"));
    assertEquals("False", dump.get("RETRY_FILES_ENABLED"));
    assertTrue(
        dump.getOrDefault("DEFAULT_LOCAL_TMP", "").startsWith(dir.resolve("ansible").toString()),
        dump.get("DEFAULT_LOCAL_TMP"));
  }

  /** The settings the file changes from Ansible's defaults: name to value. */
  private static Map<String, String> dump(Path cfg) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder("ansible-config", "dump", "--only-changed").redirectErrorStream(true);
    pb.environment().put("ANSIBLE_CONFIG", cfg.toString());
    pb.environment().put("ANSIBLE_NOCOLOR", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ansible-config dump did not end");
    assertEquals(0, p.exitValue(), out);
    // lines such as: DEFAULT_TIMEOUT(/path/ansible.cfg) = 7
    return out.lines()
        .filter(l -> l.contains(") = "))
        .collect(
            Collectors.toMap(
                l -> l.substring(0, l.indexOf('(')),
                l -> l.substring(l.indexOf(") = ") + 4).strip(),
                (a, b) -> a));
  }
}
