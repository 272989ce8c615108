package io.baton.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.worker.process.PidRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Local mode as its own process, started as {@code ./baton demo} starts it (the demo command, config/local.yml, the
 * repository as working folder, the tools environment), with ports and a data folder of its own.
 */
public final class LocalDemo implements AutoCloseable {
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private final Path repo;
    private final Path dataDir;
    private final int httpPort;
    private final ChildProcess process;

    private LocalDemo(Path repo, Path dir) throws IOException {
        this.repo = repo;
        dataDir = dir.resolve("data");
        httpPort = TestCluster.freePort();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BATON_DATA_DIR", dataDir.toString());
        env.put("BATON_HTTP_PORT", Integer.toString(httpPort));
        env.put("BATON_ADMIN_PORT", Integer.toString(TestCluster.freePort()));
        env.put("BATON_TEMPORAL_PORT", Integer.toString(TestCluster.freePort()));
        env.put("BATON_TEMPORAL_UI_PORT", Integer.toString(TestCluster.freePort()));
        // the port of local mode's own database server, where its configuration starts one
        env.put("BATON_DATABASE_PORT", Integer.toString(TestCluster.freePort()));
        // what ./baton exports before it starts local mode
        env.putIfAbsent("BATON_TOOLS", repo.resolve(".baton/tools").toString());
        Path temporal = Path.of(env.get("BATON_TOOLS"), "bin", "temporal");
        env.putIfAbsent("BATON_TEMPORAL_BIN", Files.isExecutable(temporal) ? temporal.toString() : "temporal");
        process = new ChildProcess(
                "local-demo",
                List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.baton.server.BatonApplication",
                        "demo",
                        "config/local.yml"),
                env,
                repo,
                dir,
                new PidRegistry(dir.resolve("pids")));
    }

    /** Starts {@code ./baton demo} and waits until its run of examples/iris has succeeded (local mode stays up). */
    public static LocalDemo start(Path repo, Duration max) throws IOException {
        Path dir = Files.createDirectories(
                Path.of("target", "local-demo-" + System.currentTimeMillis()).toAbsolutePath());
        LocalDemo local = new LocalDemo(repo, dir);
        local.process.start();
        // the run as it ended, or (failed fast) the demo's own failure: a Wait probe's exception only means "not yet"
        Object end = Wait.until("the demo's run to end (log: " + local.process.log() + ")", max, () -> {
            if (!local.process.alive() || local.process.logTail(1 << 20).contains("demo: failed")) {
                return "the demo failed";
            }
            JsonNode first =
                    local.admin().get("/runs?project=demo").json().path("items").path(0);
            return TERMINAL.contains(first.path("status").asText()) ? first : null;
        });
        if (!(end instanceof JsonNode run) || !run.get("status").asText().equals("SUCCEEDED")) {
            local.close();
            throw new IllegalStateException("the demo did not succeed: " + end + "\n" + local.process.logTail(6000));
        }
        return local;
    }

    /** The variables a user of this local mode has: the README's examples read them. */
    public Map<String, String> userEnvironment() {
        // the CLI (./baton COMMAND) from the test's class path: no jar to build in the middle of the tests
        return Map.of(
                "BATON_DATA_DIR",
                dataDir.toString(),
                "BATON_HTTP_PORT",
                Integer.toString(httpPort),
                "BATON_CLI_CLASSPATH",
                System.getProperty("java.class.path"));
    }

    public String apiBase() {
        return "http://127.0.0.1:" + httpPort + "/api/v1";
    }

    /** The admin, with local mode's token ({@code admin.token} of its data folder, written when it starts). */
    public Api admin() {
        try {
            return new Api(
                    apiBase(), Files.readString(dataDir.resolve("admin.token")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path repo() {
        return repo;
    }

    public String logTail(int chars) {
        return process.logTail(chars);
    }

    @Override
    public void close() throws IOException {
        process.stop(Duration.ofSeconds(30));
    }
}
