package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.baton.worker.python.PythonPackage;
import io.baton.worker.testing.Eventually;
import io.baton.worker.workspace.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Attacks from inside a step, each run as a real step process started the way a worker starts it (baton-launch
 * built from its source, the sandbox the worker probes, the environment it gives), on a worker laid out like local
 * mode's: a data folder with the admin token and the database, the work folder with the blob cache and the pids.
 */
class StepSandboxTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static String launcher;
    private final String marker = Long.toString(100_000 + (System.nanoTime() & 0xffff));

    private Path data;
    private Path work;
    private Workspace workspace;
    private StepSandbox sandbox;
    private PidRegistry pids;
    /** The Baton server's URL as the worker knows it; null: the worker gives its steps none. */
    private String server;

    private final List<StepProcess> started = new ArrayList<>();
    private final List<Process> others = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void buildTheLauncher() throws Exception {
        launcher = StepProcessLauncherTest.compile(); // this source's launcher, not one built before it changed
        if (launcher == null) {
            launcher = StepProcess.launcher(System.getenv("BATON_LAUNCHER"));
        }
        assumeTrue(launcher != null, "no baton-launch and no C compiler to build one");
    }

    @BeforeEach
    void aWorkerLikeLocalModes() throws IOException {
        // on disk, not under /tmp: the data folder must be hidden by the sandbox itself, not by its empty /tmp
        Path root = Files.createTempDirectory(
                Files.createDirectories(Path.of("target").toAbsolutePath()), "sandbox");
        data = root.resolve("data");
        work = Files.createDirectories(data.resolve("worker"));
        Files.writeString(data.resolve("admin.token"), "admin-secret-token");
        Files.writeString(data.resolve("baton.mv.db"), "h2-database-file");
        Files.writeString(Files.createDirectories(work.resolve("blobs")).resolve("a".repeat(64)), "cached blob");
        pids = new PidRegistry(work.resolve("pids"));
        Files.createDirectories(work.resolve("python"));
        sandbox = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.ISOLATED, List.of(work, data), List.of(work.resolve("python")), null),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        workspace = Workspace.of(work, "run-1", "train", 1).create();
    }

    @AfterEach
    void endEverything() throws IOException {
        started.forEach(p -> p.terminate(Duration.ZERO));
        others.forEach(Process::destroyForcibly);
        processesWith(marker).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Workspace.delete(data.getParent());
        Files.deleteIfExists(Path.of("/etc/planted")); // planted only where the sandbox failed
    }

    @Test
    void aToolsEnvironmentUnderTmpIsShownWholeNotJustItsBinFolder() throws Exception {
        // a checkout under /tmp (a CI clone) puts its tools virtualenv there: the step's empty /tmp hid its pyvenv.cfg
        // and lib/, so its python3 ran without numpy
        Path tools = Files.createTempDirectory("baton-tools");
        try {
            Path bin = Files.createDirectories(tools.resolve("bin"));
            Files.writeString(Files.createDirectories(tools.resolve("lib")).resolve("module.txt"), "from lib" + marker);
            Path tool = bin.resolve("tool");
            Files.writeString(tool, "#!/bin/sh\ncat \"$(dirname \"$0\")/../lib/module.txt\"\n");
            tool.toFile().setExecutable(true);
            sandbox = StepSandbox.probe(
                    launcher,
                    new StepSandbox.Settings(
                            StepSandbox.ISOLATED, List.of(work, data), List.of(work.resolve("python"), bin), null),
                    work.resolve("workspaces").resolve(".sandbox-probe"));

            assertThat(run(tool.toString())).isEqualTo("from lib" + marker);
        } finally {
            Workspace.delete(tools);
        }
    }

    /** An endpoint's replica: the servers reach its port on this machine, and its files and processes stay confined. */
    @Test
    void aReplicaGoesWithoutTheNetworkNamespaceAloneAndIsReachedOnItsPort() throws Exception {
        StepSandbox steps = sandbox;
        sandbox = steps.withoutNetwork();
        Set<StepSandbox.Layer> kept = steps.layers();
        kept.remove(StepSandbox.Layer.NETWORK);
        assertThat(sandbox.layers()).isEqualTo(kept);
        assertThat(sandbox.options(workspace.root(), workspace.code())).doesNotContain("--net", "--relay");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        start("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1");

        Eventually.await("the replica's port answers", PATIENCE, () -> {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        if (steps.layers().contains(StepSandbox.Layer.FILES)) {
            assertThat(exitOf(start("cat", data.resolve("admin.token").toString())))
                    .isNotZero();
        }
    }

    @Test
    void aStepCannotConnectToAServiceListeningOnTheWorkersLoopback() throws Exception {
        // stands for Temporal's frontend (local mode binds it to 127.0.0.1) and for the API
        try (ServerSocket temporal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = temporal.accept()) {
                    accepted.incrementAndGet();
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            String said = run("python3", "-c", """
          import socket, sys
          s = socket.socket()
          s.settimeout(5)
          try:
              s.connect(("127.0.0.1", int(sys.argv[1])))
              print("connected")
          except OSError as e:
              print("refused:", e)
          """, Integer.toString(temporal.getLocalPort()));

            assertThat(said).startsWith("refused");
            assertThat(accepted).hasValue(0);
        }
    }

    @Test
    void aStepReachesTheBatonServerThroughTheRelayAndNoOtherServiceOfTheMachine() throws Exception {
        HttpServer api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        api.createContext("/api/v1/health", exchange -> {
            byte[] body = ("ok from " + exchange.getRequestMethod() + " of "
                            + exchange.getRequestBody().readAllBytes().length)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        api.start();
        try (ServerSocket temporal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            server = "http://127.0.0.1:" + api.getAddress().getPort();
            sandbox = StepSandbox.probe(
                    launcher,
                    new StepSandbox.Settings(
                            StepSandbox.ISOLATED, List.of(work, data), List.of(work.resolve("python")), null, server),
                    work.resolve("workspaces").resolve(".sandbox-probe"));

            StepProcess step = start(
                    "python3",
                    "-c",
                    """
          import os, socket, sys, time, urllib.request
          for method, body in (("GET", None), ("POST", b"x" * 3000000)):
              request = urllib.request.Request(os.environ["BATON_SERVER"] + "/api/v1/health", body, method=method)
              with urllib.request.urlopen(request, timeout=10) as answer:
                  print(method, answer.status, answer.read().decode())
          for name, port in (("api", int(sys.argv[1])), ("temporal", int(sys.argv[2]))):
              try:
                  socket.create_connection(("127.0.0.1", port), 5)
                  print(name, "connected")
              except OSError:
                  print(name, "refused")
          sys.stdout.flush()
          while not os.path.exists(os.path.join(os.environ["HOME"], "done")):
              time.sleep(0.05)
          """,
                    Integer.toString(api.getAddress().getPort()),
                    Integer.toString(temporal.getLocalPort()),
                    marker);
            Eventually.await("the step's requests", PATIENCE, () -> text(out).contains("temporal ") || step.done());
            // the relay is the launcher's child, outside the step's namespaces: the step cannot see it, the machine can
            List<Long> relays = processesWith(marker).stream()
                    .filter(StepSandboxTest::isRelay)
                    .toList();
            Files.writeString(workspace.root().resolve("done"), "");

            assertThat(step.waitFor(PATIENCE)).isTrue();
            assertThat(step.exitCode()).as("stderr: %s", text(err)).isZero();
            assertThat(text(out))
                    .contains(
                            "GET 200 ok from GET of 0",
                            "POST 200 ok from POST of 3000000",
                            "api refused",
                            "temporal refused");
            assertThat(relays).as("the relay while the step ran").hasSize(1);
            assertThat(processesWith(marker))
                    .as("the launcher and its relay, once the step ended")
                    .isEmpty();
        } finally {
            api.stop(0);
        }
    }

    @Test
    void aStepGetsTheRelaysUrlInItsNetworkAndTheServersOtherwise() {
        String https = "https://baton.example:8443/baton";
        StepSandbox isolated = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.ISOLATED, List.of(work, data), List.of(), null, "http://127.0.0.1:8080/baton"),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        StepSandbox host = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.HOST, List.of(work, data), List.of(), null, "http://127.0.0.1:8080"),
                work.resolve("workspaces").resolve(".sandbox-probe"));

        assertThat(isolated.serverEnvironment("http://127.0.0.1:8080/baton"))
                .containsExactly(Map.entry("BATON_SERVER", "http://127.0.0.1:7400/baton"));
        assertThat(isolated.options(workspace.root(), workspace.code()))
                .containsSequence("--relay", "7400:127.0.0.1:8080");
        assertThat(host.serverEnvironment("http://127.0.0.1:8080"))
                .containsExactly(Map.entry("BATON_SERVER", "http://127.0.0.1:8080"));
        assertThat(host.options(workspace.root(), workspace.code())).doesNotContain("--relay");
        assertThat(StepSandbox.none().serverEnvironment(https)).containsExactly(Map.entry("BATON_SERVER", https));
        // TLS goes through the relay as it is: a client connects there and checks the certificate for the server's name
        StepSandbox tls = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.ISOLATED, List.of(work, data), List.of(), null, "https://127.0.0.1:8443"),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        assertThat(tls.serverEnvironment("https://127.0.0.1:8443"))
                .containsExactly(
                        Map.entry("BATON_SERVER", "https://127.0.0.1:8443"),
                        Map.entry("BATON_SERVER_ADDRESS", "127.0.0.1:7400"));
    }

    @Test
    void whenTheLauncherIsKilledItsRelayGoesWithIt() throws Exception {
        server = "http://127.0.0.1:9"; // never called: the relay connects only when the step does
        sandbox = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.ISOLATED, List.of(work, data), List.of(work.resolve("python")), null, server),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        StepProcess step = start("sleep", "30" + marker);
        Eventually.await(
                "the step's relay",
                PATIENCE,
                () -> processesWith(marker).stream().anyMatch(StepSandboxTest::isRelay));

        // what the parent-death signal does to the launcher when its worker is killed (kill -9)
        ProcessHandle.of(step.pid()).ifPresent(ProcessHandle::destroyForcibly);

        Eventually.await("no relay left", PATIENCE, () -> processesWith(marker).isEmpty());
    }

    private static boolean isRelay(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .trim()
                    .equals("baton-relay");
        } catch (IOException gone) {
            return false;
        }
    }

    @Test
    void aWorkerWithTheHostNetworkGivesItsStepsTheMachinesServices() throws Exception {
        sandbox = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(StepSandbox.HOST, List.of(work, data), List.of(work.resolve("python")), null),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        try (ServerSocket service = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String said = run(
                    "python3",
                    "-c",
                    "import socket, sys; socket.create_connection(('127.0.0.1', "
                            + "int(sys.argv[1])), 5); print('connected')",
                    Integer.toString(service.getLocalPort()));

            assertThat(said).startsWith("connected");
            assertThat(sandbox.layers())
                    .doesNotContain(StepSandbox.Layer.NETWORK)
                    .contains(StepSandbox.Layer.PID);
        }
    }

    @Test
    void anEgressWorkerGivesStepsTheNetworkButNotTheMachinesLoopback() throws Exception {
        InetAddress outside = nonLoopbackAddress();
        assumeTrue(outside != null, "no network but the loopback here");
        sandbox = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.EGRESS, List.of(work, data), List.of(work.resolve("python")), null),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        assertThat(sandbox.options(workspace.root(), workspace.code()))
                .as("slirp4netns ('./baton test' installs it)")
                .contains("--slirp");
        try (ServerSocket remote = new ServerSocket(0, 50, outside);
                ServerSocket temporal = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String said = run(
                    "python3",
                    "-c",
                    """
          import socket, sys
          for host, port in ((sys.argv[1], int(sys.argv[2])), ("127.0.0.1", int(sys.argv[3]))):
              try:
                  socket.create_connection((host, port), 5)
                  print(host, "connected")
              except OSError as e:
                  print(host, "refused")
          """,
                    outside.getHostAddress(),
                    Integer.toString(remote.getLocalPort()),
                    Integer.toString(temporal.getLocalPort()));

            assertThat(said).contains(outside.getHostAddress() + " connected", "127.0.0.1 refused");
        }
    }

    /** An address of this machine other than the loopback, standing for a service elsewhere; null when none. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        return null;
    }

    @Test
    void aStepCannotReadTheWorkersCredentialsFromProc() throws Exception {
        String token = "worker-token-" + UUID.randomUUID();
        // a process of the worker's machine that holds a worker's token in its environment, as a worker does
        ProcessBuilder holder = new ProcessBuilder("sleep", "300");
        holder.environment().put("BATON_TOKEN", token);
        others.add(holder.start());

        String said = run(
                "sh",
                "-c",
                "cat /proc/$PPID/environ /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n' " + "| grep -c " + token
                        + "; cat /proc/$PPID/cmdline | tr '\\0' ' '; echo");

        assertThat(said.lines().findFirst()).hasValue("0");
        assertThat(said).doesNotContain("java");
    }

    @Test
    void aStepCannotReadTheDataFolderNorTheWorkersBookkeepingButWritesItsWorkspace() throws Exception {
        pids.add(4242, 1);

        String said = run("sh", "-c", """
        cat "$1/admin.token" "$1/baton.mv.db" "$2/blobs"/* "$2/pids"/* 2>/dev/null
        ls -A "$2/blobs" "$2/pids" 2>/dev/null
        echo written > "$BATON_OUTPUTS/out.txt" && echo wrote the workspace
        touch "$1/planted" /etc/planted 2>/dev/null || echo cannot write outside
        """, "step", data.toString(), work.toString());

        assertThat(said)
                .doesNotContain("admin-secret-token", "h2-database-file", "cached blob", "4242")
                .contains("wrote the workspace", "cannot write outside");
        assertThat(workspace.outputs().resolve("out.txt")).hasContent("written");
        assertThat(data.resolve("planted")).doesNotExist();
        assertThat(Path.of("/etc/planted")).doesNotExist();
    }

    @Test
    void aStepImportsBatonsPythonPackageFromTheWorkersFolderButCannotAlterIt() throws Exception {
        Path lib = PythonPackage.install(work).folder();
        String original = Files.readString(lib.resolve("baton/__init__.py"));

        String said = run("sh", "-c", """
        PYTHONPATH="$1" python3 -c 'import baton; print(baton.__file__)'
        echo "raise SystemExit('altered')" >> "$1/baton/__init__.py" 2>/dev/null || echo cannot alter it
        touch "$1/baton/planted.py" 2>/dev/null || echo cannot add to it
        """, "step", lib.toString());

        assertThat(said.lines().toList())
                .containsExactly(lib.resolve("baton/__init__.py").toString(), "cannot alter it", "cannot add to it");
        assertThat(lib.resolve("baton/__init__.py")).hasContent(original);
        assertThat(lib.resolve("baton/planted.py")).doesNotExist();
    }

    @Test
    void aStepRunningAsRootHasNoCapabilityToUndoItsSandbox() throws Exception {
        String said = run(
                "sh",
                "-c",
                "grep CapEff /proc/self/status; umount -l \"$1\" 2>/dev/null && echo unmounted; "
                        + "cat \"$1/admin.token\" 2>/dev/null; true",
                "step",
                data.toString());

        assertThat(said).contains("CapEff:\t0000000000000000").doesNotContain("unmounted", "admin-secret-token");
    }

    @Test
    void whatAStepStartedInASessionOfItsOwnOrThroughADoubleForkEndsWithIt() throws Exception {
        StepProcess step = start(
                "sh", "-c", "setsid sleep 3" + marker + " & (sleep 4" + marker + " &) ; " + "sleep 0.2; echo started");

        assertThat(step.waitFor(PATIENCE)).isTrue();
        step.killLeftovers(); // what the worker does when a step's own process has ended

        assertThat(text(out)).contains("started");
        assertThat(processesWith("sleep\u00003" + marker))
                .as("the setsid child")
                .isEmpty();
        assertThat(processesWith("sleep\u00004" + marker))
                .as("the double-forked child")
                .isEmpty();
    }

    @Test
    void whenTheLauncherIsKilledWithItsWorkerNothingTheStepStartedSurvives() throws Exception {
        StepProcess step = start(
                "sh",
                "-c",
                "setsid sleep 3" + marker + " & (sleep 4" + marker + " &) ; sleep 0.2; " + "echo started; sleep 5"
                        + marker);
        Eventually.await("the step's children", PATIENCE, () -> text(out).contains("started"));
        assertThat(processesWith("sleep\u00003" + marker))
                .as("the setsid child, running")
                .hasSize(1);

        // what the parent-death signal does to the launcher when its worker is killed (kill -9)
        ProcessHandle.of(step.pid()).ifPresent(ProcessHandle::destroyForcibly);

        Eventually.await(
                "no process of the step left",
                PATIENCE,
                () -> processesWith("sleep\u00003" + marker).isEmpty()
                        && processesWith("sleep\u00004" + marker).isEmpty()
                        && processesWith("sleep\u00005" + marker).isEmpty());
    }

    @Test
    void withoutNamespacesTheSubreaperAloneEndsWhatAStepLeft() throws Exception {
        // a machine that refuses every namespace (no root, no user namespaces) still gets the subreaper
        StepProcess step = StepProcess.start(
                List.of(
                        "sh",
                        "-c",
                        "setsid sleep 3" + marker + " & (sleep 4" + marker + " &) ; sleep 0.2; echo started"),
                workspace.code(),
                Map.of("PATH", StepEnvironment.DEFAULT_PATH),
                out,
                err,
                pids,
                "KILL",
                launcher,
                List.of("--reap"));
        started.add(step);

        assertThat(step.waitFor(PATIENCE)).isTrue();

        assertThat(text(out)).contains("started");
        assertThat(processesWith("sleep\u00003" + marker))
                .as("the setsid child")
                .isEmpty();
        assertThat(processesWith("sleep\u00004" + marker))
                .as("the double-forked child")
                .isEmpty();
    }

    @Test
    void aStepSeesItsExitCodeAndTermReachesIt() throws Exception {
        assertThat(exitOf(start("sh", "-c", "exit 3"))).isEqualTo(3);
        assertThat(exitOf(start("sh", "-c", "kill -KILL $$")))
                .as("killed by a signal: 128 + 9")
                .isEqualTo(137);

        StepProcess trapping =
                start("sh", "-c", "trap 'echo got TERM; exit 5' TERM; echo ready; " + "while :; do sleep 0.1; done");
        Eventually.await("the step to be ready", PATIENCE, () -> text(out).contains("ready"));
        trapping.terminate(Duration.ofSeconds(20));

        assertThat(trapping.waitFor(PATIENCE)).isTrue();
        assertThat(text(out)).contains("got TERM");
        assertThat(trapping.exitCode()).isEqualTo(5);
    }

    @Test
    void aStepUserOwnsTheWorkspaceAndReadsNothingThatOnlyRootMay() throws Exception {
        assumeTrue("0".equals(run("id", "-u").trim()), "the worker is not root: steps run as its own user anyway");
        // the step's user passes through the folders above the work folder, as it must on a real worker
        Files.setPosixFilePermissions(data.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path rootsOnly = Files.writeString(data.getParent().resolve("root-only.key"), "operators-private-key");
        Files.setPosixFilePermissions(rootsOnly, PosixFilePermissions.fromString("rw-------"));
        sandbox = StepSandbox.probe(
                launcher,
                new StepSandbox.Settings(
                        StepSandbox.ISOLATED, List.of(work, data), List.of(work.resolve("python")), "65534:65534"),
                work.resolve("workspaces").resolve(".sandbox-probe"));
        sandbox.handOver(workspace.root());
        out.reset();

        String said = run(
                "sh",
                "-c",
                "id -u; grep CapBnd /proc/self/status; cat \"$1\" 2>/dev/null; echo written > \"$BATON_OUTPUTS/out.txt\" "
                        + "&& echo wrote the workspace",
                "step",
                rootsOnly.toString());

        assertThat(sandbox.layers()).contains(StepSandbox.Layer.USER);
        assertThat(said)
                .startsWith("65534\n")
                .contains("CapBnd:\t0000000000000000", "wrote the workspace")
                .doesNotContain("operators-private-key");
    }

    @Test
    void theProbeFindsEveryLayerOnThisMachine() {
        // root with namespaces here and on CI: a machine that lacks one says so in the worker's log instead
        assertThat(sandbox.layers())
                .containsExactlyInAnyOrder(
                        StepSandbox.Layer.REAP,
                        StepSandbox.Layer.PID,
                        StepSandbox.Layer.NETWORK,
                        StepSandbox.Layer.FILES);
    }

    private String run(String... command) throws Exception {
        StepProcess step = start(command);
        assertThat(step.waitFor(PATIENCE)).isTrue();
        assertThat(step.exitCode()).as("stderr: %s", text(err)).isZero();
        return text(out);
    }

    private static int exitOf(StepProcess step) throws InterruptedException {
        assertThat(step.waitFor(PATIENCE)).isTrue();
        return step.exitCode();
    }

    private StepProcess start(String... command) throws IOException {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("BATON_OUTPUTS", workspace.outputs().toString());
        given.put("HOME", workspace.root().toString());
        given.put("TMPDIR", workspace.tmp().toString());
        given.putAll(sandbox.serverEnvironment(server));
        Map<String, String> env = StepEnvironment.base(System.getenv(), List.of(), List.of());
        env.putAll(given);
        StepProcess p = StepProcess.start(
                List.of(command),
                workspace.code(),
                env,
                out,
                err,
                pids,
                "KILL",
                launcher,
                sandbox.options(workspace.root(), workspace.code()));
        started.add(p);
        return p;
    }

    /** The pids of the machine's processes whose command line holds {@code text}. */
    private static List<Long> processesWith(String text) {
        List<Long> found = new ArrayList<>();
        File[] all = new File("/proc").listFiles((dir, name) -> name.matches("\\d+"));
        for (File proc : all == null ? new File[0] : all) {
            try {
                String cmdline = Files.readString(proc.toPath().resolve("cmdline"), StandardCharsets.ISO_8859_1);
                long pid = Long.parseLong(proc.getName());
                if (cmdline.contains(text) && Procs.running(pid)) {
                    found.add(pid);
                }
            } catch (IOException | RuntimeException gone) {
                // ended while listed
            }
        }
        return found;
    }

    private static String text(ByteArrayOutputStream stream) {
        synchronized (stream) {
            return stream.toString(StandardCharsets.UTF_8);
        }
    }
}
