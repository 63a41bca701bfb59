package io.xrootdrestart.ansible;

import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What every ansible-playbook run of the daemon uses: the inventory, the daemon's own SSH identity
 * (never the admin's connection from the inventory), the known_hosts recorded by setup.yml, and
 * where runs are kept.
 *
 * @param controlPersist how long an idle SSH master connection stays open; longer than cmsd_wait so
 *     the socket survives the wait between drain and cycle
 */
public record RunnerSettings(
    String inventory,
    Path stateDir,
    String sshUser,
    Path privateKey,
    Duration controlPersist,
    Duration connectTimeout,
    int keepRuns) {

  public RunnerSettings {
    Objects.requireNonNull(inventory, "inventory");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(sshUser, "sshUser");
    Objects.requireNonNull(privateKey, "privateKey");
    if (keepRuns < 1) {
      throw new IllegalArgumentException("keepRuns must be positive");
    }
  }

  public static RunnerSettings from(Config config) {
    Duration persist =
        config.get(Keys.CMSD_WAIT).plus(config.get(Keys.SERVICE_TIMEOUT)).plusSeconds(60);
    return new RunnerSettings(
        config.get(Keys.INVENTORY),
        config.get(Keys.STATE_DIR),
        config.get(Keys.SSH_USER),
        config.privateKey(),
        persist,
        config.get(Keys.CONNECT_TIMEOUT),
        config.get(Keys.RUN_RETENTION));
  }

  public Path knownHosts() {
    return stateDir.resolve("known_hosts");
  }

  public Path ansibleDir() {
    return stateDir.resolve("ansible");
  }

  public Path runsDir() {
    return stateDir.resolve("runs");
  }
}
