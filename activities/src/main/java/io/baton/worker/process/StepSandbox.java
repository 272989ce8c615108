package io.baton.worker.process;

import io.baton.worker.workspace.Workspace;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
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
public final class StepSandbox {
    private static final Logger log = LoggerFactory.getLogger(StepSandbox.class);
    public static final String ISOLATED = "isolated";
    public static final String EGRESS = "egress";
    public static final String HOST = "host";
    /**
     * The port of the relay to the Baton server inside each step's network namespace (each step has a loopback of its
     * own: no two steps share it); a step's {@code BATON_SERVER} names it.
     */
    static final int RELAY_PORT = 7400;

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
     * {@code user}, {@code UID:GID} steps run as when the worker is root (null: root without capabilities);
     * {@code server}, the Baton server's URL, which the relay lets a step in a network namespace reach (null: none).
     */
    public record Settings(String network, List<Path> hidden, List<Path> readable, String user, String server) {
        public Settings {
            hidden = List.copyOf(hidden);
            readable = List.copyOf(readable);
        }

        public Settings(String network, List<Path> hidden, List<Path> readable, String user) {
            this(network, hidden, readable, user, null);
        }
    }

    private final Set<Layer> layers;
    private final List<Path> hidden;
    private final List<Path> shown;
    private final String user;
    /** slirp4netns, giving the network namespace egress; null: loopback only. */
    private final String slirp;
    /** The Baton server that the relay leads a step in a network namespace to; null: no relay. */
    private final URI server;

    private StepSandbox(Set<Layer> layers, List<Path> hidden, List<Path> shown, String user, String slirp, URI server) {
        this.layers = layers.isEmpty() ? EnumSet.noneOf(Layer.class) : EnumSet.copyOf(layers);
        this.hidden = List.copyOf(hidden);
        this.shown = List.copyOf(shown);
        this.user = user;
        this.slirp = slirp;
        this.server = server;
    }

    /** No sandbox: steps start as they always did (no launcher, or a process that is not a step). */
    public static StepSandbox none() {
        return new StepSandbox(Set.of(), List.of(), List.of(), null, null, null);
    }

    /**
     * Probes what {@code launcher} can set up here, in the folder {@code scratch} (a workspace of its own), and says
     * once, in the log, what protects steps and what does not.
     */
    public static StepSandbox probe(String launcher, Settings settings, Path scratch) {
        String network = settings.network();
        List<Path> hidden = settings.hidden();
        List<Path> readable = settings.readable();
        if (launcher == null) {
            log.warn("step sandbox: none (no baton-launch): steps see the worker's processes, files and network, and "
                    + "what they start in a session of their own may outlive them");
            return none();
        }
        List<Path> shown = readable.stream()
                .map(StepSandbox::installation)
                .filter(Files::isDirectory)
                .filter(p -> hidden.stream().anyMatch(p::startsWith) || p.startsWith("/tmp"))
                .distinct()
                .toList();
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
                StepSandbox alone = new StepSandbox(Set.of(layer), hidden, shown, settings.user(), slirp, null);
                alone.handOver(scratch);
                String problem = tryLaunch(launcher, alone.options(scratch, scratch.resolve("code")), scratch);
                if (problem == null) {
                    working.add(layer);
                } else {
                    refused.put(layer, problem);
                }
            }
            URI relayed = working.contains(Layer.NETWORK) ? relay(launcher, settings, shown, slirp, scratch) : null;
            StepSandbox all = new StepSandbox(working, hidden, shown, settings.user(), slirp, relayed);
            all.handOver(scratch);
            String problem = working.isEmpty()
                    ? null
                    : tryLaunch(launcher, all.options(scratch, scratch.resolve("code")), scratch);
            if (problem != null) {
                log.warn("step sandbox: its layers work alone but not together ({}); steps run without it", problem);
                return none();
            }
            say(working, refused, network, slirp, relayed);
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
        String problem = slirp == null
                ? "no slirp4netns on the worker's PATH (apt install slirp4netns)"
                : tryLaunch(
                        launcher,
                        new StepSandbox(Set.of(Layer.NETWORK), settings.hidden(), shown, null, slirp, null)
                                .options(scratch, scratch.resolve("code")),
                        scratch);
        if (problem != null) {
            log.warn(
                    "step sandbox: stepNetwork is 'egress' but this machine cannot give it ({}); steps have a loopback "
                            + "of their own and no other network",
                    problem);
            return null;
        }
        return slirp;
    }

    /**
     * The server a step in a network namespace reaches through the relay, once a launch with it has worked here; null
     * (the worker warns why) when there is no server to reach or the relay cannot be made.
     */
    private static URI relay(String launcher, Settings settings, List<Path> shown, String slirp, Path scratch) {
        URI server;
        try {
            server = settings.server() == null ? null : new URI(settings.server());
        } catch (URISyntaxException e) {
            server = null;
        }
        if (server == null || server.getHost() == null) {
            return null;
        }
        String problem = tryLaunch(
                launcher,
                new StepSandbox(Set.of(Layer.NETWORK), settings.hidden(), shown, null, slirp, server)
                        .options(scratch, scratch.resolve("code")),
                scratch);
        if (problem != null) {
            log.warn(
                    "step sandbox: no relay to the Baton server ({}); steps in a network namespace cannot reach its API",
                    problem);
            return null;
        }
        return server;
    }

    private static String onPath(String name) {
        for (String dir : System.getenv()
                .getOrDefault("PATH", StepEnvironment.DEFAULT_PATH)
                .split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    private static void say(Set<Layer> working, Map<Layer, String> refused, String network, String slirp, URI relayed) {
        String relay = relayed == null ? "" : " and a relay to the Baton server's API at 127.0.0.1:" + RELAY_PORT;
        List<String> on = working.stream()
                .map(l -> l != Layer.NETWORK
                        ? l.description
                        : (slirp != null
                                        ? "a network namespace with egress through "
                                                + "slirp4netns (no service of this machine's loopback)"
                                        : l.description)
                                + relay)
                .toList();
        log.info(
                "step sandbox: {}; steps run without capabilities{}{}",
                String.join(", ", on),
                working.contains(Layer.USER) || !isRoot()
                        ? ""
                        : ", as root (set stepUser to run them as a user of their own)",
                HOST.equals(network)
                        ? "; stepNetwork is 'host': steps reach every service of this machine, Temporal's "
                                + "port included"
                        : "");
        refused.forEach((layer, why) -> log.warn(
                "step sandbox: this machine does not allow {} ({}); steps run without it", layer.description, why));
    }

    /**
     * These layers but the network namespace, for a process the servers reach on a port of this machine (an endpoint's
     * replica): its files, processes and user stay confined.
     */
    public StepSandbox withoutNetwork() {
        Set<Layer> rest = layers();
        rest.remove(Layer.NETWORK);
        return new StepSandbox(rest, hidden, shown, user, null, null);
    }

    /**
     * Gives the attempt's workspace to the step's user, once it is staged, so that the step writes it (its outputs,
     * its checkpoints, its temporary files); the worker, root, still reads and deletes it.
     */
    public void handOver(Path root) throws IOException {
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
            Process p = new ProcessBuilder(command)
                    .directory(dir.resolve("code").toFile())
                    .redirectErrorStream(true)
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

    /**
     * How a step reaches the Baton server at {@code serverUrl} (the worker's): {@code BATON_SERVER}, its URL. Inside a
     * network namespace that is the relay's: for an https server, whose certificate names its host, the URL stays the
     * server's and {@code BATON_SERVER_ADDRESS} says where to connect (TLS goes through the relay as it is).
     */
    public Map<String, String> serverEnvironment(String serverUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        if (serverUrl == null || serverUrl.isBlank()) {
            return env;
        }
        if (server == null || !layers.contains(Layer.NETWORK)) {
            env.put("BATON_SERVER", serverUrl);
        } else if ("https".equalsIgnoreCase(server.getScheme())) {
            env.put("BATON_SERVER", serverUrl);
            env.put("BATON_SERVER_ADDRESS", "127.0.0.1:" + RELAY_PORT);
        } else {
            String path = server.getRawPath() == null ? "" : server.getRawPath();
            env.put("BATON_SERVER", "http://127.0.0.1:" + RELAY_PORT + path);
        }
        return env;
    }

    /**
     * The server's address and port for the relay, resolved now (the JVM caches names briefly): the launcher takes
     * numbers only, so that it needs no resolver of its own. Null when the name does not resolve: the step's relay
     * port then refuses, as a server that is down would.
     */
    private String relayTarget() {
        if (server == null) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(server.getHost());
            int port =
                    server.getPort() > 0 ? server.getPort() : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
            String host = address.getHostAddress();
            return (address instanceof Inet6Address ? "[" + host.replaceFirst("%.*", "") + "]" : host) + ":" + port;
        } catch (IOException e) {
            log.warn(
                    "cannot resolve the Baton server's name {} for a step's relay: {}",
                    server.getHost(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * What a step must read to run what a PATH folder holds: for a {@code bin} folder, the installation around it (a
     * Python virtualenv's {@code pyvenv.cfg} and {@code lib/}, a prefix's {@code share/}), not the folder alone.
     */
    static Path installation(Path folder) {
        Path parent = folder.getParent();
        return folder.getFileName() != null
                        && folder.getFileName().toString().equals("bin")
                        && parent != null
                        && parent.getParent() != null
                ? parent
                : folder;
    }

    /** The launcher's options for an attempt whose workspace is {@code root}, run in {@code workingDir}. */
    public List<String> options(Path root, Path workingDir) {
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
            String target = relayTarget();
            if (target != null) {
                options.addAll(List.of("--relay", RELAY_PORT + ":" + target));
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
