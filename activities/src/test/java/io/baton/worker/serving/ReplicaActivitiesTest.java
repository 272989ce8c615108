package io.baton.worker.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.baton.common.Hashing;
import io.baton.worker.artifacts.Artifacts;
import io.baton.worker.client.ServerClient;
import io.baton.worker.process.PidRegistry;
import io.baton.worker.process.StepSandbox;
import io.baton.worker.testing.Eventually;
import io.baton.workflows.ReplicaActivities;
import io.baton.workflows.ReplicaFailures;
import io.baton.workflows.ReplicaRequest;
import io.baton.workflows.StagedInput;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica run for real: staged from a server played by a JDK HTTP server, its serving command a real Python process
 * in a process group of its own, its activity run (and cancelled) by Temporal's test environment.
 */
class ReplicaActivitiesTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Path TOOLS = REPO.resolve(".baton/tools/bin");
    private static final String WORKER_TOKEN = "worker-secret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private HttpServer baton;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger reportStatus = new AtomicInteger(200);
    private Path work;
    private TestActivityEnvironment temporal;
    private ReplicaActivities replicas;
    private ReplicaActivitiesImpl impl;

    @BeforeEach
    void start() throws IOException {
        baton = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        baton.createContext("/api/v1/artifacts/", exchange -> {
            byte[] blob = blobs.get(exchange.getRequestURI().getPath().replaceFirst(".*/", ""));
            answer(exchange, blob == null ? 404 : 200, blob == null ? new byte[0] : blob);
        });
        baton.createContext("/api/v1/workers/", exchange -> {
            String token = exchange.getRequestHeaders().getFirst("Authorization");
            reports.add(exchange.getRequestURI().getPath() + " " + token + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, reportStatus.get(), "{}".getBytes(StandardCharsets.UTF_8));
        });
        baton.start();
        work = tmp.resolve("work");
        ServerClient client = new ServerClient(
                "http://127.0.0.1:" + baton.getAddress().getPort(), WORKER_TOKEN, Duration.ofSeconds(5));
        impl = new ReplicaActivitiesImpl(
                new ReplicaActivitiesImpl.Settings(
                        "w1",
                        work,
                        "127.0.0.1",
                        Files.isDirectory(TOOLS) ? List.of(TOOLS.toString()) : List.of(),
                        List.of(),
                        Duration.ofSeconds(2),
                        false),
                client,
                new Artifacts(client, work),
                new PidRegistry(work.resolve("pids")),
                null,
                StepSandbox.none());
        temporal = TestActivityEnvironment.newInstance();
        temporal.registerActivitiesImplementations(impl);
        replicas = temporal.newActivityStub(
                ReplicaActivities.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(2))
                        .setHeartbeatTimeout(Duration.ofSeconds(3)) // a cancel is seen within ~2.4 s
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .build());
    }

    @AfterEach
    void stop() {
        temporal.close();
        baton.stop(0);
    }

    @Test
    void becomesHealthyReportsItsAddressServesPredictionsAndStopsItsProcessesWhenCancelled() throws Exception {
        Path model = tmp.resolve("model.pkl");
        python(
                "import pickle, sys; from sklearn.datasets import load_iris; from sklearn.linear_model import"
                        + " SGDClassifier; x, y = load_iris(return_X_y=True);"
                        + " pickle.dump(SGDClassifier(loss='log_loss', random_state=0).fit(x, y), open(sys.argv[1], 'wb'))",
                model.toString());
        ReplicaRequest request = request(
                List.of(
                        "python3",
                        REPO.resolve("examples/iris/serve.py").toString(),
                        "--model",
                        "{model}",
                        "--port",
                        "{port}"),
                "/health",
                30_000,
                List.of(model("best/model.pkl", Files.readAllBytes(model))));

        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> replicas.serve(request));

        Eventually.await("the replica's report", Duration.ofSeconds(20), () -> !reports.isEmpty() || serving.isDone());
        assertThat(serving).isNotDone();
        String report = reports.get(0);
        assertThat(report).startsWith("/api/v1/workers/w1/replicas/r-1 Bearer " + WORKER_TOKEN + " ");
        String address = JSON.readTree(report.substring(report.indexOf('{')))
                .path("address")
                .asText();
        assertThat(address).matches("127\\.0\\.0\\.1:\\d+");
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + address + "/predict"))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"instances\": [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode predictions = JSON.readTree(answer.body()).path("predictions");
        assertThat(predictions.size()).isEqualTo(2);
        assertThat(predictions.get(0).asInt()).isBetween(0, 2);
        List<ProcessHandle> processes = serving("serve.py");
        assertThat(processes).hasSize(1);

        temporal.requestCancelActivity();

        assertThatThrownBy(() -> serving.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(work.resolve("workspaces/replicas/r-1")).doesNotExist();
        assertThat(work.resolve("pids")).isEmptyDirectory();
    }

    @Test
    void placeholdersAreFilledInWordForWordAndTheProcessGetsNoCredential() throws Exception {
        Path seen = tmp.resolve("seen.json");
        Path pwned = tmp.resolve("pwned");
        // writes what it was given, then serves anything on BATON_PORT
        String script = "import http.server, json, os, sys\n"
                + "json.dump({'argv': sys.argv[1:], 'env': dict(os.environ)}, open(os.environ['SEEN'], 'w'))\n"
                + "http.server.HTTPServer(('127.0.0.1', int(os.environ['BATON_PORT'])),"
                + " http.server.SimpleHTTPRequestHandler).serve_forever()\n";
        String hostile = "$(touch " + pwned + "); `touch " + pwned + "` {port} {model}";
        ReplicaRequest request = request(
                List.of("python3", "-c", script, "{model}", hostile),
                "/",
                20_000,
                List.of(model("model.bin", "weights".getBytes(StandardCharsets.UTF_8))),
                Map.of("SEEN", seen.toString()));

        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> replicas.serve(request));
        Eventually.await("the replica's report", Duration.ofSeconds(20), () -> !reports.isEmpty() || serving.isDone());
        temporal.requestCancelActivity();
        assertThatThrownBy(() -> serving.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        JsonNode given = JSON.readTree(seen.toFile());
        String model = given.path("argv").get(0).asText();
        String port = report().replaceFirst(".*:(\\d+)\"}$", "$1");
        assertThat(model).startsWith(work.toString()).endsWith("/workspaces/replicas/r-1/inputs/model/model.bin");
        assertThat(given.path("argv").get(1).asText())
                .isEqualTo("$(touch " + pwned + "); `touch " + pwned + "` " + port + " " + model);
        assertThat(pwned).doesNotExist();
        JsonNode env = given.path("env");
        assertThat(env.path("BATON_MODEL").asText()).isEqualTo(model);
        assertThat(env.path("BATON_PORT").asText()).isEqualTo(port);
        assertThat(env.path("BATON_MODEL_NAME").asText()).isEqualTo("iris-classifier");
        assertThat(env.path("BATON_MODEL_VERSION").asText()).isEqualTo("3");
        assertThat(env.path("BATON_ENDPOINT").asText()).isEqualTo("iris-api");
        List<String> names = new ArrayList<>();
        env.fieldNames().forEachRemaining(names::add);
        assertThat(names.stream().filter(n -> n.startsWith("BATON_")))
                .containsExactlyInAnyOrder(
                        "BATON_MODEL", "BATON_PORT", "BATON_MODEL_NAME", "BATON_MODEL_VERSION", "BATON_ENDPOINT");
        assertThat(env.toString()).doesNotContain(WORKER_TOKEN);
    }

    @Test
    void aCommandThatExitsAtOnceFailsAsExitedWithItsLastLines() {
        ReplicaRequest request = request(
                List.of(
                        "python3",
                        "-c",
                        // each line one write: stdout and stderr share the pipe, and print() writes its
                        // arguments one by one when unbuffered, so a line of several could be cut by the other
                        "import sys; print('loading ' + sys.argv[1]); print('no such model', file=sys.stderr);"
                                + " sys.exit(3)",
                        "{model}"),
                "/health",
                20_000,
                List.of());

        ApplicationFailure failure = failureOf(request);

        assertThat(failure.getType()).isEqualTo(ReplicaFailures.EXITED);
        assertThat(failure.getOriginalMessage())
                .startsWith("the serving command exited with code 3 before it answered /health:")
                .contains("loading " + work)
                .contains("no such model");
        assertThat(failure.getDetails().get(Integer.class)).isEqualTo(3);
        assertThat(reports).isEmpty();
        assertThat(work.resolve("workspaces/replicas/r-1")).doesNotExist();
    }

    @Test
    void aHealthPathThatNeverAnswers2xxFailsAsUnhealthyWithinTheTimeoutAndLeavesNoProcess() {
        ReplicaRequest request = request(
                List.of("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1"),
                "/no-such-health",
                1_500,
                List.of());
        long started = System.nanoTime();

        ApplicationFailure failure = failureOf(request);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(failure.getType()).isEqualTo(ReplicaFailures.UNHEALTHY);
        assertThat(failure.getOriginalMessage())
                .startsWith("/no-such-health did not answer 2xx within 1.5s; last answer: 404");
        assertThat(serving("http.server")).isEmpty();
        assertThat(reports).isEmpty();
    }

    @Test
    void aReportTheServerRefusesStopsTheReplicaAsRefused() {
        reportStatus.set(409);
        ReplicaRequest request = request(
                List.of("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1"), "/", 20_000, List.of());

        ApplicationFailure failure = failureOf(request);

        assertThat(failure.getType()).isEqualTo(ReplicaFailures.REFUSED);
        assertThat(failure.getOriginalMessage()).contains("409");
        assertThat(reports).hasSize(1);
        assertThat(serving("http.server")).isEmpty();
        assertThat(work.resolve("workspaces/replicas/r-1")).doesNotExist();
    }

    @Test
    void aServingCommandThatExitsAfterItWasHealthyFailsAsStoppedServing() {
        ReplicaRequest request = request(
                List.of(
                        "python3",
                        "-c",
                        "import http.server, os, sys, threading\n"
                                + "server = http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])),"
                                + " http.server.SimpleHTTPRequestHandler)\n"
                                + "threading.Timer(1.0, lambda: (print('out of memory', flush=True), os._exit(4))).start()\n"
                                + "server.serve_forever()",
                        "{port}"),
                "/",
                20_000,
                List.of());

        ApplicationFailure failure = failureOf(request);

        assertThat(failure.getType()).isEqualTo(ReplicaFailures.STOPPED_SERVING);
        assertThat(failure.getOriginalMessage())
                .startsWith("the serving command exited with code 4:")
                .contains("out of memory");
        assertThat(reports).hasSize(1);
    }

    @Test
    void aWorkerThatStopsEndsItsReplicasAndTheirProcesses() throws Exception {
        ReplicaRequest request = request(
                List.of("python3", "-m", "http.server", "{port}", "--bind", "127.0.0.1"), "/", 20_000, List.of());
        CompletableFuture<ApplicationFailure> serving = CompletableFuture.supplyAsync(() -> failureOf(request));
        Eventually.await("the replica's report", Duration.ofSeconds(20), () -> !reports.isEmpty() || serving.isDone());
        List<ProcessHandle> processes = serving("http.server");
        assertThat(processes).hasSize(1);

        impl.stopAll(Duration.ofSeconds(20));

        assertThat(impl.running()).isEmpty();
        ApplicationFailure failure = serving.get(5, TimeUnit.SECONDS);
        assertThat(failure.getType()).isEqualTo(ReplicaFailures.STOPPED_SERVING);
        assertThat(failure.getOriginalMessage()).isEqualTo("the worker w1 is shutting down");
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(work.resolve("workspaces/replicas/r-1")).doesNotExist();
    }

    private ApplicationFailure failureOf(ReplicaRequest request) {
        try {
            replicas.serve(request);
        } catch (ActivityFailure e) {
            assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
            return (ApplicationFailure) e.getCause();
        }
        throw new AssertionError("the replica did not fail");
    }

    private String report() {
        return reports.get(0);
    }

    /** This JVM's descendants whose command line names {@code marker}, alive now. */
    private static List<ProcessHandle> serving(String marker) {
        return ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .toList();
    }

    private StagedInput model(String path, byte[] content) {
        String sha256 = HexFormat.of().formatHex(Hashing.sha256().digest(content));
        blobs.put(sha256, content);
        return new StagedInput("iris-classifier", null, path, sha256, content.length, "model:iris-classifier/3");
    }

    private static ReplicaRequest request(
            List<String> command, String health, long healthTimeoutMs, List<StagedInput> modelFiles) {
        return request(command, health, healthTimeoutMs, modelFiles, Map.of());
    }

    private static ReplicaRequest request(
            List<String> command,
            String health,
            long healthTimeoutMs,
            List<StagedInput> modelFiles,
            Map<String, String> env) {
        return new ReplicaRequest(
                "e-1",
                "p",
                "iris-api",
                "r-1",
                1,
                "iris-classifier",
                3,
                modelFiles,
                null,
                command,
                env,
                health,
                healthTimeoutMs,
                1,
                0,
                0);
    }

    private static void python(String code, String... args) throws IOException, InterruptedException {
        Path python = TOOLS.resolve("python3");
        List<String> command = new ArrayList<>(List.of(Files.isExecutable(python) ? python.toString() : "python3"));
        command.addAll(List.of("-c", code));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
