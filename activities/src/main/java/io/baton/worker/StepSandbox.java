package io.baton.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step sandbox (docs/architecture.md, "Security boundaries"): which layers of {@code baton-launch} this machine
 * allows, found once when the worker starts, and the launcher's options that put an attempt inside them.
 */
final class StepSandbox {
  private static final Logger log = LoggerFactory.getLogger(StepSandbox.class);
  static final String ISOLATED = "isolated";
  static final String EGRESS = "egress";
  static final String HOST = "host";

  /** The layers, each proven on this machine by a launch of {@code true} before any step uses it. */
  enum Layer {
    REAP("a subreaper that ends what the step left"),
    PID("a pid namespace (the step sees only its own processes)"),
    NETWORK("a network namespace with loopback only (no host service, no egress)"),
    FILES("a read-only file tree with the worker's folders hidden and an empty /tmp"),
    USER("an unprivileged user (stepUser) owning the workspace");

    final String description;

    Layer(String description) {
      this.description = description;
    }
  }

  /**
   * What a worker asks of the sandbox: {@code network} ({@link #ISOLATED}, {@link #EGRESS} or {@link #HOST});
   * {@code hidden}, the folders steps must not see (the work folder, local mode's data folder); {@code readable},
   * folders they must still read (the sitecustomize folder, the PATH's additions), shown again where hidden;
   * {@code user}, {@code UID:GID} steps run as when the worker is root (null: root without capabilities).
   */
  record Settings(String network, List<Path> hidden, List<Path> readable, String user) {
    Settings {
      hidden = List.copyOf(hidden);
      readable = List.copyOf(readable);
    }
  }

  private final Set<Layer> layers;
  private final List<Path> hidden;
  private final List<Path> shown;
  private final String user;
  /** slirp4netns, giving the network namespace egress; null: loopback only. */
  private final String slirp;

  private StepSandbox(Set<Layer> layers, List<Path> hidden, List<Path> shown, String user, String slirp) {
    this.layers = layers.isEmpty() ? EnumSet.noneOf(Layer.class) : EnumSet.copyOf(layers);
    this.hidden = List.copyOf(hidden);
    this.shown = List.copyOf(shown);
    this.user = user;
    this.slirp = slirp;
  }

  /** No sandbox: steps start as they always did (no launcher, or a process that is not a step). */
  static StepSandbox none() {
    return new StepSandbox(Set.of(), List.of(), List.of(), null, null);
  }

  /**
   * Probes what {@code launcher} can set up here, in the folder {@code scratch} (a workspace of its own), and says
   * once, in the log, what protects steps and what does not.
   */
  static StepSandbox probe(String launcher, Settings settings, Path scratch) {
    String network = settings.network();
    List<Path> hidden = settings.hidden();
    List<Path> readable = settings.readable();
    if (launcher == null) {
      log.warn("step sandbox: none (no baton-launch): steps see the worker's processes, files and network, and "
          + "what they start in a session of their own may outlive them");
      return none();
    }
    List<Path> shown = readable.stream().filter(Files::isDirectory)
        .filter(p -> hidden.stream().anyMatch(p::startsWith) || p.startsWith("/tmp")).toList();
    Map<Layer, String> refused = new EnumMap<>(Layer.class);
    Set<Layer> wanted = EnumSet.allOf(Layer.class);
    if (HOST.equals(network)) {
      wanted.remove(Layer.NETWORK);
    }
    if (settings.user() == null) {
      wanted.remove(Layer.USER);
    }
    Set<Layer> working = EnumSet.noneOf(Layer.class);
    String slirp = null;
    try {
      Files.createDirectories(scratch.resolve("code"));
      if (EGRESS.equals(network)) {
        slirp = egress(launcher, settings, shown, scratch);
      }
      for (Layer layer : wanted) {
        StepSandbox alone = new StepSandbox(Set.of(layer), hidden, shown, settings.user(), slirp);
        alone.handOver(scratch);
        String problem = tryLaunch(launcher, alone.options(scratch, scratch.resolve("code")), scratch);
        if (problem == null) {
          working.add(layer);
        } else {
          refused.put(layer, problem);
        }
      }
      StepSandbox all = new StepSandbox(working, hidden, shown, settings.user(), slirp);
      all.handOver(scratch);
      String problem = working.isEmpty() ? null : tryLaunch(launcher, all.options(scratch, scratch.resolve("code")),
          scratch);
      if (problem != null) {
        log.warn("step sandbox: its layers work alone but not together ({}); steps run without it", problem);
        return none();
      }
      say(working, refused, network, slirp);
      return all;
    } catch (IOException e) {
      log.warn("step sandbox: cannot probe it ({}); steps run without it", e.getMessage());
      return none();
    } finally {
      try {
        Workspace.delete(scratch);
      } catch (IOException e) {
        log.debug("cannot delete {}: {}", scratch, e.getMessage());
      }
    }
  }

  /** slirp4netns when it gives a step's network namespace egress here, else null (the worker warns why). */
  private static String egress(String launcher, Settings settings, List<Path> shown, Path scratch) {
    String slirp = onPath("slirp4netns");
    String problem = slirp == null ? "no slirp4netns on the worker's PATH (apt install slirp4netns)"
        : tryLaunch(launcher, new StepSandbox(Set.of(Layer.NETWORK), settings.hidden(), shown, null, slirp)
            .options(scratch, scratch.resolve("code")), scratch);
    if (problem != null) {
      log.warn("step sandbox: stepNetwork is 'egress' but this machine cannot give it ({}); steps have a loopback "
          + "of their own and no other network", problem);
      return null;
    }
    return slirp;
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", StepEnvironment.DEFAULT_PATH).split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }

  private static void say(Set<Layer> working, Map<Layer, String> refused, String network, String slirp) {
    List<String> on = working.stream()
        .map(l -> l == Layer.NETWORK && slirp != null ? "a network namespace with egress through slirp4netns (no "
            + "service of this machine's loopback)" : l.description).toList();
    log.info("step sandbox: {}; steps run without capabilities{}{}", String.join(", ", on),
        working.contains(Layer.USER) || !isRoot() ? "" : ", as root (set stepUser to run them as a user of their own)",
        HOST.equals(network) ? "; stepNetwork is 'host': steps reach every service of this machine, Temporal's "
            + "port included" : "");
    refused.forEach((layer, why) -> log.warn("step sandbox: this machine does not allow {} ({}); steps run without it",
        layer.description, why));
  }

  /**
   * Gives the attempt's workspace to the step's user, once it is staged, so that the step writes it (its outputs,
   * its checkpoints, its temporary files); the worker, root, still reads and deletes it.
   */
  void handOver(Path root) throws IOException {
    if (!layers.contains(Layer.USER)) {
      return;
    }
    String[] ids = user.split(":");
    int uid = Integer.parseInt(ids[0]);
    int gid = Integer.parseInt(ids[1]);
    try (var paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        if (!Files.isSymbolicLink(p)) {
          Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** Null when a launch of {@code true} with these options ends well, else what went wrong. */
  private static String tryLaunch(String launcher, List<String> options, Path dir) {
    List<String> command = new ArrayList<>();
    command.add(launcher);
    command.addAll(options);
    command.addAll(List.of("KILL", Long.toString(ProcessHandle.current().pid()), "true"));
    try {
      Process p = new ProcessBuilder(command).directory(dir.resolve("code").toFile()).redirectErrorStream(true)
          .start();
      byte[] said = p.getInputStream().readNBytes(4096);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "it did not end";
      }
      String text = new String(said, StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 ? null : text.isEmpty() ? "exit status " + p.exitValue() : text;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  boolean active() {
    return !layers.isEmpty();
  }

  Set<Layer> layers() {
    return EnumSet.copyOf(layers.isEmpty() ? EnumSet.noneOf(Layer.class) : layers);
  }

  /** The launcher's options for an attempt whose workspace is {@code root}, run in {@code workingDir}. */
  List<String> options(Path root, Path workingDir) {
    List<String> options = new ArrayList<>();
    if (layers.isEmpty()) {
      return options;
    }
    options.add("--reap");
    if (layers.contains(Layer.PID)) {
      options.add("--pid");
    }
    if (layers.contains(Layer.NETWORK)) {
      options.add("--net");
      if (slirp != null) {
        options.addAll(List.of("--slirp", slirp));
      }
    }
    if (layers.contains(Layer.FILES)) {
      options.addAll(List.of("--readonly", "--tmp"));
      hidden.forEach(p -> options.addAll(List.of("--hide", p.toString())));
      options.addAll(List.of("--bind", root.toString()));
      shown.forEach(p -> options.addAll(List.of("--bind-ro", p.toString())));
      options.addAll(List.of("--chdir", workingDir.toString()));
    }
    if (layers.contains(Layer.USER)) {
      options.addAll(List.of("--user", user));
    }
    return options;
  }
}
