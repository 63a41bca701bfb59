package io.xrootdrestart.inventory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The inventory, read again only when its files changed. The daemon looks at the inventory before
 * every slot, and {@code ansible-inventory --list} costs about 0.7 s and as much CPU each time, on
 * the slot's critical path. A static inventory (a file, a directory, with the {@code group_vars}
 * and {@code host_vars} beside it) is read again when any of its files changes size or modification
 * time, or appears or goes; a dynamic one (an executable script, or an inventory plugin's config: a
 * YAML file with a top-level {@code plugin:} key) is read every time, since its servers can change
 * without any file changing.
 */
public final class InventoryCache implements Supplier<Inventory> {
  private static final Pattern PLUGIN = Pattern.compile("(?m)^plugin:\\s*\\S");

  private final Supplier<Inventory> load;
  private final String source;
  private List<String> seen;
  private Inventory cached;

  /**
   * @param load reads the inventory ({@link InventoryLoader#load})
   * @param source the config's {@code inventory}: a path, or a comma-separated host list
   */
  public InventoryCache(Supplier<Inventory> load, String source) {
    this.load = Objects.requireNonNull(load);
    this.source = Objects.requireNonNull(source);
  }

  @Override
  public synchronized Inventory get() {
    List<String> now = fingerprint();
    if (cached == null || now == null || !now.equals(seen)) {
      Inventory fresh = load.get(); // a failure keeps neither: the next call tries again
      cached = fresh;
      seen = now;
    }
    return cached;
  }

  /**
   * What the inventory's files look like now: path, size and modification time of each; null when
   * the inventory is dynamic or cannot be looked at (then it is always read).
   */
  List<String> fingerprint() {
    if (InventoryParser.isHostList(source)) {
      return List.of(source);
    }
    Path path = Path.of(source);
    List<Path> roots = new ArrayList<>(List.of(path));
    if (!Files.isDirectory(path)) {
      Path dir = path.toAbsolutePath().getParent();
      if (dir != null) {
        roots.add(dir.resolve("group_vars"));
        roots.add(dir.resolve("host_vars"));
      }
    }
    List<String> print = new ArrayList<>();
    try {
      for (Path root : roots) {
        if (!Files.exists(root)) {
          print.add(root + " absent");
          continue;
        }
        try (Stream<Path> files = Files.walk(root)) {
          for (Path f : files.sorted().toList()) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
              continue;
            }
            if (root.equals(path) && isDynamic(f)) {
              return null;
            }
            print.add(f + " " + a.size() + " " + a.lastModifiedTime().toMillis());
          }
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
    return print;
  }

  private static boolean isDynamic(Path f) throws IOException {
    if (Files.isExecutable(f)) {
      return true;
    }
    String name = f.getFileName().toString();
    if (!name.endsWith(".yml") && !name.endsWith(".yaml")) {
      return false;
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(f)) {
      head = in.readNBytes(8192);
    }
    return PLUGIN.matcher(new String(head, StandardCharsets.UTF_8)).find();
  }
}
