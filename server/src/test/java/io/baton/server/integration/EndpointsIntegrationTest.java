package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Endpoints on the real cluster: replicas on two worker processes (one serving slot each: a one-replica endpoint's
 * rollout runs its old and new replica on both, a two-replica endpoint has one on each), a client sending predictions without pause through {@code /serve/} while the endpoint rolls
 * out, runs a canary, promotes it, rolls back and refuses a version that never becomes healthy: no request may fail,
 * and each answer's version is the one expected then. Then a replica's worker is killed, then the server and
 * Temporal.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "serve1", pools = "serving", env = "BATON_SERVING_SLOTS=1")
@ClusterExtension.Worker(name = "serve2", pools = "serving", env = "BATON_SERVING_SLOTS=1")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndpointsIntegrationTest {
    static TestCluster cluster;
    static Api api;

    private static final String SPEC = """
            name: make-model
            parameters:
              - {name: content, type: string}
            steps:
              - name: make
                command: ["python3", "make.py", "{parameters.content}"]
                pool: serving
                outputs: [model.txt]
                register: {model: served, path: model.txt}
            """;

    private static final String MAKE = """
            import os, sys
            with open(os.path.join(os.environ["BATON_OUTPUTS"], "model.txt"), "w") as f:
                f.write(sys.argv[1])
            """;

    /** A serving process: answers with the model file's content; a model that says "broken" cannot load. */
    private static final String SERVE = """
            import json, os, sys
            from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
            content = open(sys.argv[1]).read().strip()
            if content == "broken":
                print("cannot load the model: it is broken", flush=True)
                sys.exit(3)

            class Handler(BaseHTTPRequestHandler):
                protocol_version = "HTTP/1.1"
                disable_nagle_algorithm = True

                def do_GET(self):
                    self.answer({"ok": True})

                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length") or 0))
                    self.answer({"model": content, "version": os.environ.get("BATON_MODEL_VERSION")})

                def answer(self, document):
                    data = json.dumps(document).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)

                def log_message(self, *args):
                    pass

            server = ThreadingHTTPServer(("", int(sys.argv[2])), Handler)
            server.daemon_threads = True
            server.serve_forever()
            """;

    private static String bundle;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void models() throws Exception {
        bundle = Runs.uploadBundle(api, Bundles.of(Map.of("make.py", MAKE, "serve.py", SERVE)));
        for (String content : List.of("one", "two", "broken")) {
            JsonNode run = Runs.submit(api, SPEC, bundle, Map.of("content", content));
            JsonNode ended = Runs.awaitEnd(api, run.get("id").asText(), Duration.ofMinutes(2));
            assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo("SUCCEEDED");
        }
        Api.Answer versions = api.get("/models/served/versions?project=tests");
        assertThat(versions.json().get("items")).hasSize(3);
    }

    private static Map<String, Object> endpoint(String name, String model, int replicas) {
        return Map.of(
                "name",
                name,
                "project",
                "tests",
                "model",
                model,
                "bundle",
                bundle,
                "pool",
                "serving",
                "replicas",
                replicas,
                "command",
                List.of("python3", "serve.py", "{model}", "{port}"),
                "healthTimeout",
                "20s");
    }

    private static JsonNode awaitEndpoint(String name, String what, Predicate<JsonNode> condition) {
        return Wait.until("endpoint " + name + ": " + what, Duration.ofSeconds(90), () -> {
            JsonNode e = api.get("/endpoints/" + name + "?project=tests").json();
            return condition.test(e) ? e : null;
        });
    }

    private static boolean serving(JsonNode e, int version) {
        return e.get("status").asText().equals("READY")
                && e.get("version").asInt() == version
                && e.get("replicas").findValuesAsText("version").stream().allMatch(v -> v.equals("" + version));
    }

    @Test
    @Order(1)
    void rolloutCanaryPromotionAndRollbackLoseNoRequest() throws Exception {
        assertThat(api.post("/endpoints", endpoint("steady", "served/1", 1)).status())
                .isEqualTo(201);
        awaitEndpoint(
                "steady",
                "READY on version 1",
                e -> serving(e, 1) && e.get("replicas").size() == 1);

        try (Load load = new Load("steady")) {
            load.await(40);
            long beforeRollout = System.nanoTime();
            Api.Answer put = api.send("PUT", "/endpoints/steady?project=tests", Map.of("model", "served/2"));
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            awaitEndpoint("steady", "rolled out to version 2", e -> serving(e, 2));
            long rolledOut = System.nanoTime();
            load.await(40);

            // a canary of version 1 at 30%
            long canaryAsked = System.nanoTime();
            Api.Answer canary = api.send(
                    "PUT", "/endpoints/steady?project=tests", Map.of("canary", Map.of("version", 1, "percent", 30)));
            assertThat(canary.status()).as(canary.text()).isEqualTo(200);
            awaitEndpoint(
                    "steady",
                    "a canary serving",
                    e -> e.path("canary").path("serving").asBoolean());
            long canaryOn = System.nanoTime();
            // the share is measured over requests sent a second after the canary serves (routing caches caught up):
            // 200 of them, so that a 30% split lands in the bounds below by more than 4 standard deviations (with
            // "300 more answers" a slow machine measured 29 requests, 4 of them the canary's)
            load.awaitSentAfter(canaryOn + 1_000_000_000L, 200);
            long canaryMeasured = System.nanoTime();

            Api.Answer promote = api.post("/endpoints/steady/promote?project=tests", Map.of());
            assertThat(promote.status()).as(promote.text()).isEqualTo(200);
            awaitEndpoint(
                    "steady",
                    "version 1 promoted",
                    e -> serving(e, 1) && e.get("canary").isNull());
            long promoted = System.nanoTime();
            load.await(40);

            long rollbackAsked = System.nanoTime();
            Api.Answer rollback = api.post("/endpoints/steady/rollback?project=tests", Map.of());
            assertThat(rollback.status()).as(rollback.text()).isEqualTo(200);
            awaitEndpoint("steady", "rolled back to version 2", e -> serving(e, 2));
            long rolledBack = System.nanoTime();
            load.await(40);

            Api.Answer broken = api.send("PUT", "/endpoints/steady?project=tests", Map.of("model", "served/3"));
            assertThat(broken.status()).as(broken.text()).isEqualTo(200);
            JsonNode refused = awaitEndpoint(
                    "steady",
                    "the broken version refused",
                    e -> e.path("message").asText("").contains("version 3"));
            long refusedAt = System.nanoTime();
            load.await(40);
            load.close();

            assertThat(refused.get("status").asText()).isEqualTo("READY");
            assertThat(refused.get("version").asInt()).isEqualTo(2);
            assertThat(refused.get("message").asText()).contains("exited with code 3", "version 2 still serves");

            List<Load.Answer> answers = load.answers();
            long failed = answers.stream().filter(a -> a.status() != 200).count();
            double seconds =
                    (answers.get(answers.size() - 1).sentAt() - answers.get(0).sentAt()) / 1e9;
            long canaryShare = answers.stream()
                    .filter(a -> a.sentAt() > canaryOn + 1_000_000_000L && a.sentAt() < canaryMeasured)
                    .filter(a -> a.version() == 1)
                    .count();
            long canaryTotal = answers.stream()
                    .filter(a -> a.sentAt() > canaryOn + 1_000_000_000L && a.sentAt() < canaryMeasured)
                    .count();
            System.out.printf(
                    "endpoint rollouts: %d requests in %.1f s (%.0f/s), %d failed; canary share %d of %d%n",
                    answers.size(), seconds, answers.size() / seconds, failed, canaryShare, canaryTotal);
            assertThat(failed).as("failed requests: %s", load.failures()).isZero();
            assertThat(answers.size() / seconds).as("requests a second").isGreaterThan(20);
            // each answer's version is the one of its time (a routing cache may be half a second behind)
            long lag = 1_000_000_000L;
            for (Load.Answer a : answers) {
                int expected = a.sentAt() < beforeRollout
                        ? 1
                        : a.sentAt() > rolledOut + lag && a.sentAt() < canaryAsked
                                ? 2
                                : a.sentAt() > promoted + lag && a.sentAt() < rollbackAsked
                                        ? 1
                                        : a.sentAt() > rolledBack + lag ? 2 : 0;
                if (expected != 0) {
                    assertThat(a.version())
                            .as(
                                    "the version of a request sent %d ms after the load began (rollout %d, rolled out"
                                            + " %d, canary %d, promoted %d, rollback %d, rolled back %d)",
                                    ms(a.sentAt(), answers),
                                    ms(beforeRollout, answers),
                                    ms(rolledOut, answers),
                                    ms(canaryAsked, answers),
                                    ms(promoted, answers),
                                    ms(rollbackAsked, answers),
                                    ms(rolledBack, answers))
                            .isEqualTo(expected);
                }
                assertThat(a.version()).isIn(1, 2);
            }
            assertThat((double) canaryShare / canaryTotal)
                    .as("the canary's share (%d of %d requests)", canaryShare, canaryTotal)
                    .isBetween(0.15, 0.45);
            assertThat(refusedAt).isGreaterThan(rolledBack);
        }
    }

    @Test
    @Order(2)
    void aReplicasWorkerKilledLeavesTrafficToTheOtherAndTheEndpointRecovers() throws Exception {
        // the first test's endpoint gives back its slot
        api.send("DELETE", "/endpoints/steady?project=tests", null);
        Wait.until(
                "endpoint steady gone",
                Duration.ofSeconds(60),
                () -> api.get("/endpoints/steady?project=tests").status() == 404);
        assertThat(api.post("/endpoints", endpoint("sturdy", "served/2", 2)).status())
                .isEqualTo(201);
        JsonNode ready = awaitEndpoint(
                "sturdy",
                "READY with its replicas on both workers",
                e -> serving(e, 2) && e.get("replicas").size() == 2);
        List<String> workers = ready.get("replicas").findValuesAsText("worker");
        String victim = workers.get(0);
        String lost = ready.get("replicas").get(0).get("id").asText();
        try (Load load = new Load("sturdy")) {
            load.await(40);
            cluster.killWorker(victim);
            long killed = System.nanoTime();
            load.await(100);
            cluster.startWorker(victim, List.of("serving"), Map.of("BATON_SERVING_SLOTS", "1"));
            // the dead replica is noticed (no heartbeat for 30 s) and replaced
            awaitEndpoint(
                    "sturdy",
                    "back to two ready replicas, the lost one replaced",
                    e -> serving(e, 2)
                            && e.get("replicas").size() == 2
                            && !e.get("replicas").findValuesAsText("id").contains(lost));
            load.await(40);
            load.close();
            List<Load.Answer> answers = load.answers();
            long failed = answers.stream().filter(a -> a.status() != 200).count();
            long after = answers.stream()
                    .filter(a -> a.sentAt() > killed && a.status() == 200)
                    .count();
            System.out.printf(
                    "replica's worker killed: %d requests, %d failed, %d served after the kill%n",
                    answers.size(), failed, after);
            assertThat(after).isGreaterThanOrEqualTo(100);
            assertThat(failed).as("failed requests: %s", load.failures()).isZero();
        }
    }

    @Test
    @Order(3)
    void anEndpointSurvivesKillsOfTheServerAndOfTemporal() throws Exception {
        awaitEndpoint("sturdy", "ready", e -> serving(e, 2));
        cluster.killServer();
        cluster.startServer();
        try (Load load = new Load("sturdy")) {
            load.await(20);
            cluster.restartTemporal();
            load.await(40);
            awaitEndpoint("sturdy", "still ready after Temporal's restart", e -> serving(e, 2));
            // the workflow still answers after both restarts: down to one replica
            Api.Answer put = api.send("PUT", "/endpoints/sturdy?project=tests", Map.of("replicas", 1));
            assertThat(put.status()).as(put.text()).isEqualTo(200);
            awaitEndpoint(
                    "sturdy",
                    "one replica after the restarts",
                    e -> serving(e, 2) && e.get("replicas").size() == 1);
            load.await(20);
            load.close();
            assertThat(load.answers().stream().filter(a -> a.status() != 200))
                    .as("failed requests: %s", load.failures())
                    .isEmpty();
        }
    }

    @Test
    @Order(4)
    void badRequestsAreRefusedWithWhy() {
        api.project("elsewhere");
        Map<String, Object> good = endpoint("bad", "served/1", 1);
        record Bad(String field, Object value, String says) {}
        for (Bad b : List.of(
                new Bad("model", "nothing@production", "there is no model"),
                new Bad("model", "served@nowhere", "nowhere"),
                new Bad("model", "served/99", "no version 99"),
                new Bad("replicas", -1, "'replicas' must be 1 to"),
                new Bad("command", List.of("python3", "serve.py"), "{port}"),
                new Bad("pool", "nopool", "no worker serves pool"),
                new Bad("bundle", "0".repeat(64), "no bundle"),
                new Bad("healthTimeout", "forever", "healthTimeout"))) {
            Map<String, Object> body = new java.util.LinkedHashMap<>(good);
            body.put(b.field(), b.value());
            Api.Answer a = api.post("/endpoints", body);
            assertThat(a.status()).as(b.toString()).isEqualTo(400);
            assertThat(a.json().get("message").asText()).as(b.toString()).contains(b.says());
        }
        assertThat(api.get("/endpoints/bad?project=tests").status()).isEqualTo(404);
        assertThat(api.post("/endpoints", endpoint("sturdy", "served/1", 1)).status())
                .isEqualTo(409);

        // another project's endpoint is as unknown as one that never was; a deleted one is not served
        Api outsider = api.user("endpoint-outsider");
        Api root = new Api(cluster.apiBase().replace("/api/v1", ""), outsider.token());
        Api.Answer other = root.post("/serve/tests/sturdy/predict", Map.of("instances", List.of()));
        Api.Answer never = root.post("/serve/tests/never/predict", Map.of("instances", List.of()));
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.json().get("message").asText())
                .isEqualTo(never.json().get("message").asText().replace("never", "sturdy"));
        Api adminRoot = new Api(cluster.apiBase().replace("/api/v1", ""), api.token());
        Api.Answer served = adminRoot.post("/serve/tests/sturdy/predict", Map.of());
        assertThat(served.status()).as(served.text()).isEqualTo(200);
        assertThat(api.send("DELETE", "/endpoints/sturdy?project=tests", null).status())
                .isEqualTo(204);
        // traffic stops once the proxy's routing (at most half a second old) sees the delete
        Wait.until(
                "a deleted endpoint to serve no more",
                Duration.ofSeconds(5),
                () -> List.of(404, 503)
                        .contains(adminRoot
                                .post("/serve/tests/sturdy/predict", Map.of())
                                .status()));
        Wait.until(
                "endpoint sturdy gone",
                Duration.ofSeconds(60),
                () -> api.get("/endpoints/sturdy?project=tests").status() == 404);
        // and once it is gone, as unknown as any (the proxy's routing is at most half a second old)
        Wait.until(
                "a removed endpoint to be unknown to the proxy",
                Duration.ofSeconds(5),
                () -> adminRoot.post("/serve/tests/sturdy/predict", Map.of()).status() == 404);
    }

    @Test
    @Order(5)
    void anEndpointThatFollowsAnAliasRollsOutWhenTheAliasMoves() {
        assertThat(api.send("PUT", "/models/served/aliases/live?project=tests", Map.of("version", 1))
                        .status())
                .isEqualTo(200);
        assertThat(api.post("/endpoints", endpoint("follower", "served@live", 1))
                        .status())
                .isEqualTo(201);
        awaitEndpoint("follower", "serving version 1", e -> serving(e, 1));
        assertThat(api.send("PUT", "/models/served/aliases/live?project=tests", Map.of("version", 2))
                        .status())
                .isEqualTo(200);
        JsonNode moved = awaitEndpoint("follower", "rolled out to the alias's new version", e -> serving(e, 2));
        assertThat(moved.get("model").asText()).isEqualTo("served@live");
        assertThat(moved.get("history").findValuesAsText("version")).containsExactly("1", "2");
        assertThat(api.send("DELETE", "/endpoints/follower?project=tests", null).status())
                .isEqualTo(204);
    }

    private static long ms(long nanos, List<Load.Answer> answers) {
        return (nanos - answers.get(0).sentAt()) / 1_000_000;
    }

    /** Predictions sent without pause from two threads, each answer kept with its time and the version that served. */
    private static final class Load implements AutoCloseable {
        record Answer(long sentAt, int status, int version, String text) {}

        private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(String endpoint) {
            URI uri = URI.create(cluster.apiBase().replace("/api/v1", "/serve/tests/" + endpoint + "/predict"));
            for (int i = 0; i < 2; i++) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> r = http.send(
                                    HttpRequest.newBuilder(uri)
                                            .timeout(Duration.ofSeconds(30))
                                            .header("Authorization", "Bearer " + api.token())
                                            .header("Content-Type", "application/json")
                                            .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1, 2]]}"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            int version = Integer.parseInt(r.headers()
                                    .firstValue("X-Baton-Model-Version")
                                    .orElse("0"));
                            answers.add(new Answer(sent, r.statusCode(), version, r.body()));
                        } catch (Exception e) {
                            answers.add(new Answer(sent, -1, 0, e.toString()));
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        /** Waits until {@code n} more answers arrived. */
        void await(int n) {
            int target = answers.size() + n;
            Wait.until(n + " more answers", Duration.ofSeconds(60), () -> answers.size() >= target);
        }

        /** Waits until {@code n} answers were sent after {@code nanoTime}. */
        void awaitSentAfter(long nanoTime, int n) {
            Wait.until(
                    n + " answers sent after the mark",
                    Duration.ofSeconds(60),
                    () -> answers.stream().filter(a -> a.sentAt() > nanoTime).count() >= n);
        }

        List<Answer> answers() {
            return new ArrayList<>(answers);
        }

        List<String> failures() {
            return answers.stream()
                    .filter(a -> a.status() != 200)
                    .limit(5)
                    .map(a -> a.status() + " " + a.text())
                    .toList();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(35_000);
            }
        }
    }
}
