package io.xrootdrestart.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.xrootdrestart.config.Defaults;
import io.xrootdrestart.config.Key;
import io.xrootdrestart.config.Keys;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** setup.yml and the daemon read the same config file: their defaults must be the same. */
class SetupDefaultsTest {
  private static final String PREFIX = "xrootdrestart_node_";

  @Test
  void theRoleDefaultsAreTheDaemonDefaults() throws Exception {
    JsonNode defaults = new YAMLMapper().readTree(Path.of("roles/xrootdrestart_node/defaults/main.yml").toFile());
    Defaults d = new Defaults(true, Path.of("/root"), Path.of("/etc/xrootdrestart"));
    int compared = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertTrue(e.getKey().startsWith(PREFIX), e.getKey());
      String name = e.getKey().substring(PREFIX.length());
      Key<?> key = Keys.byName(name).orElse(null);
      if (key == null) {
        continue; // a key the daemon does not have yet (escalate_reboot comes with the restart logic)
      }
      String role = e.getValue().asText();
      String java = key.defaultText(d);
      if (role.isEmpty() && java.startsWith("/")) {
        continue; // computed from where the config file is and who runs it, on both sides
      }
      assertEquals(java, role, name);
      compared++;
    }
    assertTrue(compared >= 8, "compared " + compared + " defaults");
  }
}
