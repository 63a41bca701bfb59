package io.xrootdrestart.bench;

import io.xrootdrestart.ansible.AnsibleInventory;
import io.xrootdrestart.ansible.AnsiblePlaybookRunner;
import io.xrootdrestart.ansible.RunnerSettings;
import io.xrootdrestart.config.Config;
import io.xrootdrestart.config.Keys;
import io.xrootdrestart.events.RunResult;
import io.xrootdrestart.inventory.Inventory;
import io.xrootdrestart.inventory.InventoryLoader;
import io.xrootdrestart.inventory.Server;
import io.xrootdrestart.playbook.Phases;
import io.xrootdrestart.testing.Lab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Wall time of each phase playbook through the real runner, against the same remote commands run
 * over plain ssh on a warm control socket, on a lab of 20 servers. Usage: PhaseBench [ITERATIONS].
 */
public final class PhaseBench {
  private static final String SUDO = "sudo -n /usr/bin/systemctl ";

  private PhaseBench() {}

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Lab lab = Lab.servers(20).up(Path.of("/tmp/xrootdrestart-bench"));
    try {
      run(lab, iterations);
    } finally {
      lab.down();
    }
  }

  private static void run(Lab lab, int iterations) throws Exception {
    Path etc = Files.createTempDirectory("xrootdrestart-bench");
    long t0 = System.nanoTime();
    Config config = lab.provision(etc, Map.of("service_timeout", 10));
    System.out.printf("setup.yml on 20 servers: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Inventory inventory = new InventoryLoader(new AnsibleInventory()).load(config);
    AnsiblePlaybookRunner runner =
        new AnsiblePlaybookRunner(RunnerSettings.from(config), Clock.systemUTC());
    Phases phases = Phases.from(config);
    Server lab1 = inventory.server("lab1").orElseThrow();
    Ssh ssh = new Ssh(config, etc.resolve("cp"));
    List<Server> three = inventory.servers().subList(0, 3);
    List<Server> all = inventory.servers();

    // Warm both the Ansible control sockets and the plain ssh ones.
    check(runner.run(phases.health(all)));
    for (Server s : all) {
      ssh.run(s, SUDO + "is-active " + s.cmsdUnit());
    }

    List<Double> drain = new ArrayList<>();
    List<Double> cycle = new ArrayList<>();
    List<Double> restore = new ArrayList<>();
    List<Double> kill = new ArrayList<>();
    List<Double> health3 = new ArrayList<>();
    List<Double> health20 = new ArrayList<>();
    List<Double> sshDrain = new ArrayList<>();
    List<Double> sshCycle = new ArrayList<>();
    List<Double> sshRestore = new ArrayList<>();
    List<Double> sshKill = new ArrayList<>();
    List<Double> sshHealth3 = new ArrayList<>();
    List<Double> sshHealth20 = new ArrayList<>();
    String cmsd = lab1.cmsdUnit();
    String xrootd = lab1.xrootdUnit();
    for (int i = 0; i < iterations; i++) {
      drain.add(time(() -> check(runner.run(phases.drain(lab1)))));
      cycle.add(time(() -> check(runner.run(phases.cycle(lab1)))));
      restore.add(time(() -> check(runner.run(phases.restore(lab1)))));
      kill.add(time(() -> check(runner.run(phases.kill(lab1, xrootd)))));
      check(runner.run(phases.restore(lab1)));
      health3.add(time(() -> check(runner.run(phases.health(three)))));
      health20.add(time(() -> check(runner.run(phases.health(all)))));

      sshDrain.add(time(() -> ssh.run(lab1, SUDO + "stop " + cmsd, SUDO + "is-active " + cmsd)));
      sshCycle.add(
          time(
              () ->
                  ssh.run(
                      lab1,
                      SUDO + "stop " + xrootd,
                      SUDO + "is-active " + xrootd,
                      SUDO + "start " + xrootd,
                      SUDO + "is-active " + xrootd,
                      SUDO + "start " + cmsd,
                      SUDO + "is-active " + cmsd)));
      sshRestore.add(
          time(
              () ->
                  ssh.run(
                      lab1,
                      SUDO + "is-active " + xrootd,
                      SUDO + "is-active " + xrootd,
                      SUDO + "is-active " + cmsd,
                      SUDO + "is-active " + cmsd)));
      sshKill.add(
          time(
              () ->
                  ssh.run(
                      lab1,
                      SUDO + "kill --signal=SIGKILL " + xrootd,
                      SUDO + "is-active " + xrootd)));
      ssh.run(lab1, SUDO + "start " + xrootd);
      sshHealth3.add(time(() -> ssh.parallel(three)));
      sshHealth20.add(time(() -> ssh.parallel(all)));
    }
    System.out.println();
    System.out.println(
        "phase            ansible-playbook (median, min-max)   same commands over ssh    "
            + " overhead");
    row("drain", drain, sshDrain);
    row("cycle", cycle, sshCycle);
    row("restore", restore, sshRestore);
    row("kill", kill, sshKill);
    row("health 3", health3, sshHealth3);
    row("health 20", health20, sshHealth20);
  }

  private static void row(String phase, List<Double> ansible, List<Double> ssh) {
    Stats a = new Stats(ansible);
    Stats s = new Stats(ssh);
    System.out.printf("%-16s %-36s %-26s %+.3f s%n", phase, a, s, a.median() - s.median());
  }

  private static double time(Runnable r) {
    long start = System.nanoTime();
    r.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static RunResult check(RunResult r) {
    if (!r.allOk()) {
      throw new IllegalStateException("a benchmark run failed: " + r.failures());
    }
    return r;
  }

  /** Plain ssh as the daemon, with its key, known_hosts and a persistent control socket. */
  private record Ssh(Config config, Path socketDir) {
    Ssh {
      try {
        Files.createDirectories(socketDir);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void run(Server s, String... commands) {
      for (String c : commands) {
        Lab.Result r =
            Lab.run(
                Map.of(),
                "ssh",
                "-o",
                "ControlMaster=auto",
                "-o",
                "ControlPersist=300",
                "-o",
                "ControlPath=" + socketDir + "/%C",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "UserKnownHostsFile=" + config.get(Keys.STATE_DIR).resolve("known_hosts"),
                "-i",
                config.privateKey().toString(),
                "-p",
                Integer.toString(s.port()),
                config.get(Keys.SSH_USER) + "@" + s.address(),
                c);
        if (r.code() != 0 && r.code() != 3) {
          throw new IllegalStateException(s.name() + ": " + c + ": " + r.out());
        }
      }
    }

    /** Both units' states on every server, the servers in parallel as Ansible's forks do. */
    void parallel(List<Server> servers) {
      ExecutorService pool = Executors.newFixedThreadPool(servers.size());
      try {
        List<Future<?>> all = new ArrayList<>();
        for (Server s : servers) {
          all.add(
              pool.submit(
                  () ->
                      run(
                          s,
                          SUDO + "is-active " + s.cmsdUnit(),
                          SUDO + "is-active " + s.xrootdUnit())));
        }
        for (Future<?> f : all) {
          f.get();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
