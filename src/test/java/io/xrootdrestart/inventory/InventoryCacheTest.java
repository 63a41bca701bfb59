package io.xrootdrestart.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCacheTest {
  @TempDir Path dir;

  final AtomicInteger loads = new AtomicInteger();

  Inventory load() {
    loads.incrementAndGet();
    return new Inventory(
        "test",
        "xrootd_servers",
        List.of(
            new Server(
                "lab" + loads.get(), "10.0.0.1", 22, Optional.empty(), "cmsd@a", "xrootd@a")));
  }

  @Test
  void aStaticFileIsReadAgainOnlyWhenItOrItsVarsChange() throws Exception {
    Path inv = Files.writeString(dir.resolve("hosts.yml"), "all:\n  hosts:\n    lab1:\n");
    InventoryCache cache = new InventoryCache(this::load, inv.toString());
    Inventory first = cache.get();
    assertSame(first, cache.get());
    assertEquals(1, loads.get(), "unchanged: read once");

    Files.setLastModifiedTime(
        inv, FileTime.fromMillis(Files.getLastModifiedTime(inv).toMillis() + 2000));
    cache.get();
    assertEquals(2, loads.get(), "touched: read again");

    Files.createDirectories(dir.resolve("group_vars"));
    Files.writeString(dir.resolve("group_vars/all.yml"), "cmsd_svc: cmsd@b\n");
    cache.get();
    assertEquals(3, loads.get(), "group_vars beside it appeared: read again");
    cache.get();
    assertEquals(3, loads.get());
  }

  @Test
  void aDirectoryIsWatchedFileByFile() throws Exception {
    Files.writeString(dir.resolve("a.ini"), "lab1\n");
    InventoryCache cache = new InventoryCache(this::load, dir.toString());
    cache.get();
    cache.get();
    assertEquals(1, loads.get());
    Files.writeString(dir.resolve("b.ini"), "lab2\n");
    cache.get();
    assertEquals(2, loads.get(), "a new file in the directory");
  }

  @Test
  void aScriptOrAPluginConfigIsReadEveryTime() throws Exception {
    Path script = Files.writeString(dir.resolve("inv.py"), "#!/bin/sh\necho '{}'\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    InventoryCache byScript = new InventoryCache(this::load, script.toString());
    byScript.get();
    byScript.get();
    assertEquals(2, loads.get(), "a script can name other servers without changing");

    Path plugin =
        Files.writeString(dir.resolve("aws_ec2.yml"), "---\nplugin: amazon.aws.aws_ec2\n");
    InventoryCache byPlugin = new InventoryCache(this::load, plugin.toString());
    byPlugin.get();
    byPlugin.get();
    assertEquals(4, loads.get(), "an inventory plugin's config");
  }

  @Test
  void aHostListIsReadOnceAndAFailedReadIsTriedAgain() {
    InventoryCache list = new InventoryCache(this::load, "lab1,lab2");
    list.get();
    list.get();
    assertEquals(1, loads.get());

    AtomicInteger tries = new AtomicInteger();
    InventoryCache failing =
        new InventoryCache(
            () -> {
              if (tries.incrementAndGet() == 1) {
                throw new InventoryException("x", "broken");
              }
              return load();
            },
            "lab1,lab2");
    assertThrows(InventoryException.class, failing::get);
    failing.get();
    assertEquals(2, tries.get());
  }
}
