package io.baton.server.testing;

import io.baton.server.local.DevServer;
import io.baton.worker.process.PidRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Local mode as {@code ./baton local} runs it ({@code server config/local.yml} under umask 077) in a child JVM, on a
 * data folder and ports of its own, so that tests can {@code kill -9} it or send it SIGTERM. Its Temporal dev server
 * is the test's and outlives the restarts (local mode starts its own otherwise): a restart is the JVM and its
 * database.
 */
public final class LocalMode implements AutoCloseable {
    private final Path dir;
    private final Path dataDir;
    private final PidRegistry pids;
    private final ChildProcess temporal;
    private final int temporalPort;
    private final ChildProcess server;
    private final int httpPort;

    public LocalMode(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir.toAbsolutePath());
        this.dataDir = this.dir.resolve("data");
        this.pids = new PidRegistry(this.dir.resolve("pids"));
        Path repo = Path.of("..").toAbsolutePath().normalize();
        temporalPort = TestCluster.freePort();
        List<String> temporalCommand = new ArrayList<>(List.of(
                TestCluster.temporalBinary(repo),
                "server",
                "start-dev",
                "--db-filename",
                this.dir.resolve("temporal.db").toString(),
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(temporalPort),
                "--ui-port",
                Integer.toString(TestCluster.freePort()),
                "--headless",
                "--log-level",
                "warn"));
        temporalCommand.addAll(DevServer.dynamicConfigArguments());
        temporal = new ChildProcess("temporal", temporalCommand, Map.copyOf(System.getenv()), this.dir, this.dir, pids);
        httpPort = TestCluster.freePort();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BATON_DATA_DIR", dataDir.toString());
        env.put("BATON_HTTP_PORT", Integer.toString(httpPort));
        env.put("BATON_ADMIN_PORT", Integer.toString(TestCluster.freePort()));
        env.put("BATON_DATABASE_PORT", Integer.toString(TestCluster.freePort()));
        env.put("BATON_TEMPORAL_PORT", Integer.toString(temporalPort));
        env.put("BATON_TEMPORAL_DEV_SERVER", "false");
        env.put("BATON_SLOTS", "4");
        env.put("BATON_TOOLS", repo.resolve(".baton/tools").toString());
        // started as ./baton local starts it: under umask 077
        server = new ChildProcess(
                "local-mode",
                List.of(
                        "sh",
                        "-c",
                        "umask 077 && exec \"$@\"",
                        "sh",
                        TestCluster.java(),
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xss512k",
                        "-Xmx384m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.baton.server.BatonApplication",
                        "server",
                        repo.resolve("config/local.yml").toString()),
                env,
                repo,
                this.dir,
                pids);
    }

    /** Starts local mode (and the test's Temporal on first use) and waits until its health route answers 200. */
    public LocalMode start() throws IOException {
        if (!temporal.alive()) {
            temporal.start();
            TestCluster.waitForPort(temporalPort, Duration.ofSeconds(60));
        }
        server.start();
        Api anonymous = new Api(apiBase(), null);
        // a local mode that exited fails the wait at once, not after its bound
        String state = Wait.until(
                "local mode's health route to answer 200 (log: " + server.log() + ")", Duration.ofSeconds(180), () -> {
                    if (!server.alive()) {
                        return "exited";
                    }
                    try {
                        return anonymous.get("/health").status() == 200 ? "up" : null;
                    } catch (RuntimeException e) {
                        return null;
                    }
                });
        if (state.equals("exited")) {
            throw new AssertionError("local mode exited:\n" + server.logTail(4000));
        }
        return this;
    }

    /** {@code kill -9} of local mode's JVM; its database server goes with it (its parent-death signal is KILL). */
    public void kill() throws IOException {
        server.kill();
    }

    /** SIGTERM to local mode's JVM, as Ctrl-C or a service manager would; returns once it has exited. */
    public void sigterm() throws IOException, InterruptedException {
        server.sigterm();
        Wait.until("local mode to exit after SIGTERM", Duration.ofSeconds(120), () -> !server.alive());
        server.stop(Duration.ofSeconds(1)); // forgets the exited process and closes its log
    }

    public boolean alive() {
        return server.alive();
    }

    public Api admin() throws IOException {
        return new Api(
                apiBase(), Files.readString(dataDir.resolve("admin.token")).trim());
    }

    public String apiBase() {
        return "http://127.0.0.1:" + httpPort + "/api/v1";
    }

    public Path dataDir() {
        return dataDir;
    }

    public String logTail(int chars) {
        return server.logTail(chars);
    }

    @Override
    public void close() throws IOException {
        server.stop(Duration.ofSeconds(30));
        temporal.stop(Duration.ofSeconds(5));
    }
}
