package io.baton.server.testing;

import io.baton.server.secrets.SecretCipher;
import io.baton.worker.process.PidRegistry;
import io.baton.workflows.PayloadKeys;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real parts, started once per test suite: a Temporal dev server, a MariaDB database, the Baton server as its
 * own process, and worker processes. Tests share it; the server and workers can be killed and started again.
 */
public final class TestCluster implements AutoCloseable {
    private static TestCluster instance;

    private final Path dir;
    private final Path repo;
    private final PidRegistry pids;
    private final TestDatabase database;
    private final ChildProcess temporal;
    private final int temporalPort;
    private final int httpPort;
    private final int adminPort;
    private final String adminToken;
    private final String payloadKey;
    private final ChildProcess server;
    private final Map<String, ChildProcess> workers = new LinkedHashMap<>();
    private WorkflowServiceStubs temporalStubs;

    /** The suite's cluster, started on first use and stopped when the test JVM ends. */
    public static synchronized TestCluster get() throws Exception {
        if (instance == null) {
            instance = new TestCluster();
            TestCluster started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::closeQuietly, "test-cluster-stop"));
        }
        return instance;
    }

    private TestCluster() throws Exception {
        repo = Path.of("..").toAbsolutePath().normalize();
        dir = Files.createDirectories(
                Path.of("target", "test-cluster-" + System.currentTimeMillis()).toAbsolutePath());
        pids = new PidRegistry(dir.resolve("pids"));
        database = TestDatabase.create();
        temporalPort = freePort();
        List<String> temporalCommand = new ArrayList<>(List.of(
                temporalBinary(),
                "server",
                "start-dev",
                "--db-filename",
                dir.resolve("temporal.db").toString(),
                "--ip",
                "127.0.0.1",
                "--port",
                Integer.toString(temporalPort),
                "--ui-port",
                Integer.toString(freePort()),
                "--headless",
                "--log-level",
                "warn"));
        temporalCommand.addAll(io.baton.server.local.DevServer.dynamicConfigArguments());
        temporal = new ChildProcess("temporal", temporalCommand, Map.copyOf(System.getenv()), dir, dir, pids).start();
        waitForPort(temporalPort, Duration.ofSeconds(60));

        httpPort = freePort();
        adminPort = freePort();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        adminToken = "bt_test_" + HexFormat.of().formatHex(secret);
        payloadKey = PayloadKeys.generate("test1");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put(
                "BATON_DATA_DIR",
                Files.createDirectories(dir.resolve("server-data")).toString());
        env.put("BATON_DATABASE_URL", database.url());
        env.put("BATON_DATABASE_USER", database.user());
        env.put("BATON_DATABASE_PASSWORD", database.password());
        env.put("BATON_TEMPORAL", "127.0.0.1:" + temporalPort);
        env.put("BATON_HTTP_PORT", Integer.toString(httpPort));
        env.put("BATON_ADMIN_PORT", Integer.toString(adminPort));
        env.put("BATON_ADMIN_TOKEN", adminToken);
        env.put("BATON_PAYLOAD_KEY", payloadKey);
        env.put("BATON_SECRETS_KEY", SecretCipher.generate());
        server = new ChildProcess(
                "server",
                List.of(
                        java(),
                        "-XX:+UseSerialGC",
                        "-Xmx384m",
                        "-cp",
                        classpath(),
                        "io.baton.server.BatonApplication",
                        "server",
                        Path.of("src/test/resources/test-server.yml")
                                .toAbsolutePath()
                                .toString()),
                env,
                dir,
                dir,
                pids);
        Files.writeString(
                dir.resolve("cluster.txt"),
                "temporal 127.0.0.1:" + temporalPort + "\napi " + apiBase() + "\nadmin port " + adminPort
                        + "\ndatabase " + database.url() + "\n");
        startServer();
    }

    public void startServer() throws IOException {
        server.start();
        Api anonymous = new Api(apiBase(), null);
        Wait.until(
                "the server's health route to answer 200 (log: " + server.log() + ")", Duration.ofSeconds(120), () -> {
                    if (!server.alive()) {
                        throw new AssertionError("the server exited:\n" + server.logTail(4000));
                    }
                    try {
                        return anonymous.get("/health").status() == 200;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
    }

    public void killServer() throws IOException {
        server.kill();
    }

    /** {@code kill -9} of a worker's JVM (its steps are left to the guardian and their parent-death signal). */
    public void killWorker(String name) throws IOException {
        workers.get(name).kill();
    }

    /** {@code kill -9} of the Temporal dev server, then a start on the same database file and port. */
    public void restartTemporal() throws IOException {
        temporal.kill();
        temporal.start();
        waitForPort(temporalPort, Duration.ofSeconds(60));
    }

    /**
     * Restarts the MariaDB server the suite uses (the test run's own): a clean shutdown, then a start on the same
     * folder and port. False when the suite's database is on a server named by {@code BATON_TEST_DB_URL}.
     */
    public boolean restartDatabase() throws Exception {
        return TestDatabase.restartOwnServer();
    }

    /**
     * Starts a worker process serving {@code pools}, with a worker token of its own, as {@code ./baton worker} starts
     * one (config/worker.yml, the settings in the environment).
     */
    public ChildProcess startWorker(String name, List<String> pools) throws IOException {
        return startWorker(name, pools, Map.of());
    }

    /** As above, with extra environment variables (e.g. declared GPUs). */
    public ChildProcess startWorker(String name, List<String> pools, Map<String, String> extraEnv) throws IOException {
        ChildProcess existing = workers.get(name);
        if (existing != null && existing.alive()) {
            return existing;
        }
        Api.Answer token = admin().post("/tokens", Map.of("kind", "worker", "name", name));
        if (token.status() != 201) {
            throw new IllegalStateException("cannot issue a worker token: " + token.text());
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("BATON_SERVER", "http://127.0.0.1:" + httpPort);
        env.put("BATON_TOKEN", token.json().get("token").asText());
        env.put("BATON_PAYLOAD_KEY", payloadKey);
        env.put("BATON_TEMPORAL", "127.0.0.1:" + temporalPort);
        env.put("BATON_WORKER_NAME", name);
        env.put("BATON_POOLS", String.join(",", pools));
        env.put("BATON_SLOTS", "4");
        env.put(
                "BATON_WORK_DIR",
                Files.createDirectories(dir.resolve("worker-" + name)).toString());
        env.put("BATON_WORKER_HEARTBEAT_SECONDS", "2");
        env.put("BATON_KILL_GRACE_SECONDS", "3");
        env.put("BATON_CHECKPOINT_SECONDS", "1");
        // as ./baton exports it for ./baton worker: the checkout's tools environment, first on the steps' PATH
        env.putIfAbsent("BATON_TOOLS", repo.resolve(".baton/tools").toString());
        env.putAll(extraEnv);
        ChildProcess worker = new ChildProcess(
                        "worker-" + name,
                        List.of(
                                java(),
                                "-XX:+UseSerialGC",
                                "-Xmx256m",
                                "-cp",
                                classpath(),
                                "io.baton.worker.WorkerMain",
                                repo.resolve("config/worker.yml").toString()),
                        env,
                        dir,
                        dir,
                        pids)
                .start();
        workers.put(name, worker);
        Wait.until("worker " + name + " to register", Duration.ofSeconds(60), () -> {
            if (!worker.alive()) {
                throw new AssertionError("worker " + name + " exited:\n" + worker.logTail(4000));
            }
            Api.Answer w = admin().get("/workers/" + name);
            return w.status() == 200 && "ONLINE".equals(w.json().get("status").asText());
        });
        return worker;
    }

    public Api admin() {
        return new Api(apiBase(), adminToken);
    }

    public Api anonymous() {
        return new Api(apiBase(), null);
    }

    public String apiBase() {
        return "http://127.0.0.1:" + httpPort + "/api/v1";
    }

    public Path repo() {
        return repo;
    }

    /** The work folder of worker {@code name} ({@code BATON_WORK_DIR}): its attempts' workspaces are made there. */
    public Path workerDir(String name) {
        return dir.resolve("worker-" + name);
    }

    /** The port of the Temporal frontend, on 127.0.0.1 as in local mode. */
    public int temporalPort() {
        return temporalPort;
    }

    public Path serverDataDir() {
        return dir.resolve("server-data");
    }

    public TestDatabase database() {
        return database;
    }

    /** The key the servers and workers seal Temporal's payloads with (an attacker's test must not use it). */
    public PayloadKeys payloadKeys() {
        return PayloadKeys.parse(payloadKey);
    }

    /** A client of Temporal's with no key, as anyone who reaches its port has. */
    public synchronized WorkflowClient temporalClient() {
        if (temporalStubs == null) {
            temporalStubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget("127.0.0.1:" + temporalPort)
                    .build());
        }
        return WorkflowClient.newInstance(
                temporalStubs,
                WorkflowClientOptions.newBuilder().setNamespace("default").build());
    }

    @Override
    public void close() throws Exception {
        // the workers all at once: one by one, a dozen JVMs' shutdowns outlasted surefire's 30 s after System.exit
        List<Thread> stopping = new ArrayList<>();
        for (ChildProcess w : workers.values()) {
            Thread t = new Thread(
                    () -> {
                        try {
                            w.stop(Duration.ofSeconds(5));
                        } catch (IOException e) {
                            System.err.println("worker did not stop cleanly: " + e);
                        }
                    },
                    "test-cluster-stop-worker");
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
        server.stop(Duration.ofSeconds(10));
        if (temporalStubs != null) {
            temporalStubs.shutdownNow();
        }
        temporal.stop(Duration.ofSeconds(5));
        database.owner().close();
    }

    private void closeQuietly() {
        long started = System.nanoTime();
        try {
            close();
        } catch (Exception e) {
            System.err.println("test cluster did not stop cleanly: " + e);
        }
        // into the cluster's folder: surefire reads no output once the JVM exits
        try {
            Files.writeString(
                    dir.resolve("stopped.txt"),
                    "stopped in " + (System.nanoTime() - started) / 1_000_000 + " ms, " + workers.size()
                            + " workers\n");
        } catch (IOException e) {
            // the folder went away: nothing to report into
        }
    }

    private String temporalBinary() {
        return temporalBinary(repo);
    }

    static String temporalBinary(Path repo) {
        String configured = System.getenv("BATON_TEMPORAL_BIN");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path tools = repo.resolve(".baton/tools/bin/temporal");
        return Files.isExecutable(tools) ? tools.toString() : "temporal";
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static String classpath() {
        return System.getProperty("java.class.path");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void waitForPort(int port, Duration max) {
        Wait.until("port " + port + " to listen", max, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 300);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
