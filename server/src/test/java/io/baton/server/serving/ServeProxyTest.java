package io.baton.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.EndpointRows;
import io.baton.server.testing.InProcessServer;
import io.baton.server.testing.ReplicaProcess;
import io.baton.server.testing.Wait;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code /serve} proxy against real serving processes (Python's HTTP server), routed by endpoint and replica rows
 * written into the server's database as the endpoint workflow writes them.
 */
class ServeProxyTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer(
            ConfigOverride.config("serving.requestTimeoutSeconds", "2"),
            ConfigOverride.config("limits.maxServeBytes", Integer.toString(8 << 20)));

    static final String P = "ml";
    static EndpointRows rows;
    static ReplicaProcess a;
    static ReplicaProcess b;
    static Api admin;
    static Api viewer;
    static Api outsider;

    @BeforeAll
    static void setUp() throws Exception {
        rows = new EndpointRows(server.database());
        a = ReplicaProcess.start("a");
        b = ReplicaProcess.start("b");
        String root = root();
        Api v1 = server.admin();
        admin = new Api(root, v1.token());
        v1.project(P).project("other");
        viewer = new Api(root, v1.user("viewer").token());
        outsider = new Api(root, v1.user("outsider").token());
        v1.grant(P, "viewer", "viewer");
        v1.grant("other", "outsider", "editor");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    static String root() {
        return server.apiBase().substring(0, server.apiBase().length() - "/api/v1".length());
    }

    @Test
    void roundRobinsOverTheStableRevisionsReadyReplicasAndSaysWhichVersionAnswered() {
        String id = rows.endpoint(P, "rr", 3);
        rows.replica(id, 1, 3, "READY", a.address());
        rows.replica(id, 1, 3, "READY", b.address());
        rows.replica(id, 1, 3, "STARTING", null);
        rows.replica(id, 1, 3, "DRAINING", "127.0.0.1:1");
        Map<String, Integer> byReplica = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Api.Answer r = viewer.post("/serve/" + P + "/rr/predict", Map.of("x", i));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(r.header("X-Baton-Model-Version")).isEqualTo("3");
            assertThat(r.header("X-Baton-Replica")).startsWith("r-");
            byReplica.merge(r.json().get("replica").asText(), 1, Integer::sum);
        }
        assertThat(byReplica).isEqualTo(Map.of("a", 10, "b", 10));
    }

    @Test
    void sendsTheCanaryItsShareOfRequests() {
        String id = rows.endpoint(P, "canary", 1);
        rows.revision(id, 2, 2);
        rows.replica(id, 1, 1, "READY", a.address());
        rows.replica(id, 2, 2, "READY", b.address());
        rows.route(id, "READY", null, 1, 2, 20);
        int canary = 0;
        int n = 1000;
        for (int i = 0; i < n; i++) {
            Api.Answer r = admin.post("/serve/" + P + "/canary/predict", Map.of("x", i));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            String version = r.header("X-Baton-Model-Version");
            // the version said is the one that answered: replica b serves version 2
            assertThat(version).isEqualTo(r.json().get("replica").asText().equals("b") ? "2" : "1");
            if (version.equals("2")) {
                canary++;
            }
        }
        assertThat(canary).as("requests that went to the 20 % canary, of " + n).isBetween(150, 250);
    }

    @Test
    void passesPathQueryHeadersAndBodyButNeverTheCallersTokenOrCookies() throws Exception {
        String id = rows.endpoint(P, "echo", 7);
        rows.replica(id, 1, 7, "READY", a.address());
        Api.Answer r = viewer.postRaw(
                "/serve/" + P + "/echo/v1/predict/caf%C3%A9%20x?b=1&a=%2F..%2F&a=2",
                "application/json",
                "{\"x\": 1}".getBytes(),
                Map.of("Cookie", "session=secret", "X-Request-Id", "abc"));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode seen = r.json();
        assertThat(seen.get("method").asText()).isEqualTo("POST");
        assertThat(seen.get("path").asText()).isEqualTo("/v1/predict/caf%C3%A9%20x?b=1&a=%2F..%2F&a=2");
        assertThat(seen.get("headers").has("authorization"))
                .as("the caller's token")
                .isFalse();
        assertThat(seen.get("headers").has("cookie")).isFalse();
        assertThat(seen.get("headers").get("x-request-id").asText()).isEqualTo("abc");
        assertThat(seen.get("headers").get("content-type").asText()).isEqualTo("application/json");
        assertThat(seen.get("bodyBytes").asInt()).isEqualTo(8);
        // the answer: the replica's, less its cookie and its own say on the version; in a sandbox on Baton's origin
        assertThat(r.header("Set-Cookie")).isNull();
        assertThat(r.header("X-Baton-Model-Version")).isEqualTo("7");
        assertThat(r.header("Content-Security-Policy")).isEqualTo("sandbox");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        // the endpoint's root, with and without its slash; every method
        for (String path : List.of("/serve/" + P + "/echo", "/serve/" + P + "/echo/")) {
            Api.Answer root = admin.get(path);
            assertThat(root.status()).as(root.text()).isEqualTo(200);
            assertThat(root.json().get("path").asText()).isEqualTo("/");
        }
        for (String method : List.of("PUT", "PATCH", "DELETE", "OPTIONS", "GET")) {
            Api.Answer m = admin.send(method, "/serve/" + P + "/echo/x", method.equals("GET") ? null : Map.of());
            assertThat(m.status()).as(method + " " + m.text()).isEqualTo(200);
            assertThat(m.json().get("method").asText()).isEqualTo(method);
        }
        Api.Answer head = admin.send("HEAD", "/serve/" + P + "/echo/x", null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.text()).isEmpty();
        // a replica's status is the answer's status
        Api.Answer teapot = admin.get("/serve/" + P + "/echo/x?status=418");
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.json().get("replica").asText()).isEqualTo("a");
    }

    @Test
    void aPathThatClimbsOutReachesTheSameReplicaOrIsRefused() {
        String id = rows.endpoint(P, "climb", 1);
        rows.replica(id, 1, 1, "READY", a.address());
        for (String path : List.of(
                "/serve/" + P + "/climb/..%2F..%2Fapi%2Fv1%2Fme",
                "/serve/" + P + "/climb/%2e%2e/%2e%2e/x",
                "/serve/" + P + "/climb//127.0.0.1:1/x",
                "/serve/" + P + "/climb/@127.0.0.1:1/x")) {
            Api.Answer r = admin.get(path);
            if (r.status() == 200) {
                assertThat(r.json().get("replica").asText()).as(path).isEqualTo("a");
            } else {
                assertThat(r.status()).as(path + ": " + r.text()).isBetween(400, 404);
                assertThat(r.json().get("error")).as(path).isNotNull();
            }
        }
    }

    @Test
    void forwardsLargeBodiesBothWaysAndRefusesOneOverTheLimit() throws Exception {
        String id = rows.endpoint(P, "big", 1);
        rows.replica(id, 1, 1, "READY", b.address());
        byte[] body = new byte[5 << 20];
        new Random(17).nextBytes(body);
        Api.Answer r = admin.postRaw("/serve/" + P + "/big/upload", "application/octet-stream", body, Map.of());
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("bodyBytes").asInt()).isEqualTo(body.length);
        assertThat(r.json().get("bodySha256").asText())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        // an answer over 1 MiB is streamed through, whole
        Api.Answer large = admin.get("/serve/" + P + "/big/download?answerBytes=3000000");
        assertThat(large.status()).isEqualTo(200);
        assertThat(large.text()).hasSize(3_000_000).matches("x+");
        // 9 MiB announced, as curl announces a large body (Expect: 100-continue): refused before one byte is sent.
        // (Sending the whole body raced the server's close: the reset could lose the 413 on a loaded machine.)
        String refused =
                headOfAnswer("POST /serve/" + P + "/big/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                        + admin.token() + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + (9 << 20) + "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n");
        assertThat(refused).startsWith("HTTP/1.1 413").contains("\"too_large\"");
    }

    /** What the server answers a request of these bytes (its status line, headers and body), read to its close. */
    private static String headOfAnswer(String request) throws IOException {
        URI uri = URI.create(root());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void answers503WithTheReasonWhenNoReplicaIsReadyOrTheEndpointIsStopped() {
        String id = rows.endpoint(P, "starting", 2);
        rows.route(id, "STARTING", "staging model m/2", null, null, null);
        rows.replica(id, 1, 2, "STARTING", null);
        Api.Answer r = admin.get("/serve/" + P + "/starting/predict");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("error").asText()).isEqualTo("unavailable");
        assertThat(r.json().get("message").asText())
                .isEqualTo("endpoint 'starting' has no ready replica (STARTING: staging model m/2)");

        String stopped = rows.endpoint(P, "stopped", 2);
        rows.replica(stopped, 1, 2, "READY", a.address());
        rows.route(stopped, "STOPPED", null, 1, null, null);
        Api.Answer s = admin.post("/serve/" + P + "/stopped/predict", Map.of());
        assertThat(s.status()).isEqualTo(503);
        assertThat(s.json().get("message").asText()).isEqualTo("endpoint 'stopped' is stopped");
    }

    @Test
    void anotherProjectsEndpointAnswersExactlyLikeAnUnknownOne() {
        String id = rows.endpoint(P, "private", 1);
        rows.replica(id, 1, 1, "READY", a.address());
        Api.Answer theirs = outsider.post("/serve/" + P + "/private/predict", Map.of());
        Api.Answer unknown = admin.post("/serve/" + P + "/nothing-here/predict", Map.of());
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(theirs.json().get("error")).isEqualTo(unknown.json().get("error"));
        assertThat(theirs.json().get("message").asText()).isEqualTo("no endpoint 'private' in project 'ml'");
        assertThat(unknown.json().get("message").asText()).isEqualTo("no endpoint 'nothing-here' in project 'ml'");
        Api.Answer unknownProject = admin.post("/serve/nowhere/private/predict", Map.of());
        assertThat(unknownProject.status()).isEqualTo(404);
        assertThat(new Api(root(), null)
                        .post("/serve/" + P + "/private/predict", Map.of())
                        .status())
                .isEqualTo(401);
        assertThat(viewer.post("/serve/" + P + "/private/predict", Map.of()).status())
                .isEqualTo(200);
    }

    @Test
    void aReplicaKilledWithItsConnectionsOpenCostsNoRequest() throws Exception {
        try (ReplicaProcess doomed = ReplicaProcess.start("doomed");
                ReplicaProcess survivor = ReplicaProcess.start("survivor")) {
            String id = rows.endpoint(P, "dying", 1);
            rows.replica(id, 1, 1, "READY", doomed.address());
            rows.replica(id, 1, 1, "READY", survivor.address());
            Map<String, Integer> before = new HashMap<>();
            for (int i = 0; i < 10; i++) {
                Api.Answer r = admin.post("/serve/" + P + "/dying/predict", Map.of());
                assertThat(r.status()).isEqualTo(200);
                before.merge(r.json().get("replica").asText(), 1, Integer::sum);
            }
            assertThat(before).isEqualTo(Map.of("doomed", 5, "survivor", 5)); // the proxy holds a connection to each
            doomed.kill();
            for (int i = 0; i < 50; i++) {
                Api.Answer r = admin.post("/serve/" + P + "/dying/predict", Map.of("i", i));
                assertThat(r.status())
                        .as("request %d after the kill: %s", i, r.text())
                        .isEqualTo(200);
                assertThat(r.json().get("replica").asText()).isEqualTo("survivor");
            }
        }
    }

    @Test
    void followsTheDatabaseWithinTheRoutingCacheTime() {
        String id = rows.endpoint(P, "moving", 1);
        String first = rows.replica(id, 1, 1, "READY", a.address());
        assertThat(admin.get("/serve/" + P + "/moving/x").json().get("replica").asText())
                .isEqualTo("a");
        // a rollout: revision 2 on replica b becomes stable, revision 1's replica drains
        rows.revision(id, 2, 2);
        rows.replica(id, 2, 2, "READY", b.address());
        rows.route(id, "READY", null, 2, null, null);
        rows.replicaStatus(first, "DRAINING");
        long switched = System.nanoTime();
        Wait.until(
                "traffic moves to version 2",
                Duration.ofSeconds(5),
                () -> "2".equals(admin.get("/serve/" + P + "/moving/x").header("X-Baton-Model-Version")));
        assertThat((System.nanoTime() - switched) / 1_000_000)
                .as("ms until the move was seen")
                .isLessThan(1500);
        for (int i = 0; i < 10; i++) {
            assertThat(admin.get("/serve/" + P + "/moving/x")
                            .json()
                            .get("replica")
                            .asText())
                    .isEqualTo("b");
        }
    }

    @Test
    void aReplicaThatDoesNotAnswerInTimeGives504() {
        String id = rows.endpoint(P, "slow", 1);
        rows.replica(id, 1, 1, "READY", a.address());
        long t0 = System.nanoTime();
        Api.Answer r = admin.get("/serve/" + P + "/slow/x?sleepMs=4000");
        assertThat(r.status()).as(r.text()).isEqualTo(504);
        assertThat(r.json().get("error").asText()).isEqualTo("replica_timeout");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(1900L, 3900L);
    }

    @Test
    void countsRequestsErrorsAndLatencyPerVersionAcrossServers() {
        String id = rows.endpoint(P, "metered", 1);
        rows.revision(id, 2, 2);
        rows.replica(id, 1, 1, "READY", a.address());
        for (int i = 0; i < 90; i++) {
            assertThat(viewer.get("/serve/" + P + "/metered/x").status()).isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(viewer.get("/serve/" + P + "/metered/x?status=500").status())
                    .isEqualTo(500);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(viewer.get("/serve/" + P + "/metered/x?sleepMs=300").status())
                    .isEqualTo(200);
        }
        // another server's counts of the same minute, of version 2
        long bucket = System.currentTimeMillis() / 10_000 * 10_000;
        server.database()
                .useHandle(h -> h.execute(
                        "INSERT INTO endpoint_metrics (endpoint_id, version, bucket, server, requests, errors, latency)"
                                + " VALUES (?, 2, ?, 'another-server', 10, 3, '{\"40\": 10}')",
                        id,
                        bucket));
        // and its replica gone: the proxy's own 503s count as errors of version 1
        rows.route(id, "DEGRADED", "replica lost", 1, null, null);
        server.database()
                .useHandle(h -> h.execute("UPDATE endpoint_replicas SET status = 'LOST' WHERE endpoint_id = ?", id));
        int answered = 0;
        int unavailable = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (unavailable < 3 && System.nanoTime() < deadline) {
            int status = viewer.get("/serve/" + P + "/metered/x").status();
            if (status == 503) {
                unavailable++;
            } else {
                assertThat(status).isEqualTo(200); // until the routing is read again
                answered++;
            }
        }
        assertThat(unavailable).as("503s once the replica's loss is seen").isEqualTo(3);

        Api.Answer m = viewer.get("/api/v1/endpoints/metered/metrics?project=" + P);
        assertThat(m.status()).as(m.text()).isEqualTo(200);
        assertThat(m.json().get("endpoint").asText()).isEqualTo("metered");
        JsonNode minute = m.json().get("windows").get(0);
        assertThat(minute.get("window").asText()).isEqualTo("1m");
        JsonNode v1 = minute.get("versions").get(0);
        assertThat(v1.get("version").asInt()).isEqualTo(1);
        long requests = v1.get("requests").asLong();
        long errors = v1.get("errors").asLong();
        assertThat(requests).isEqualTo(100 + answered + unavailable);
        assertThat(errors).as("the replica's 500s and the proxy's 503s").isEqualTo(5 + unavailable);
        assertThat(v1.get("errorRate").asDouble()).isCloseTo((double) errors / requests, offset(0.001));
        assertThat(v1.get("p50Ms").asDouble()).isLessThan(100);
        assertThat(v1.get("p99Ms").asDouble()).isBetween(280.0, 400.0);
        JsonNode v2 = minute.get("versions").get(1);
        assertThat(v2.get("version").asInt()).isEqualTo(2);
        assertThat(v2.get("requests").asLong()).isEqualTo(10);
        assertThat(v2.get("errors").asLong()).isEqualTo(3);
        assertThat(v2.get("p50Ms").asDouble()).isBetween(3.0, 3.5); // bucket 40: 0.1 ms x 2^(39.5/8)
        assertThat(m.json().get("windows").get(1).get("window").asText()).isEqualTo("15m");
        assertThat(m.json()
                        .get("windows")
                        .get(1)
                        .get("versions")
                        .get(0)
                        .get("requests")
                        .asLong())
                .isEqualTo(requests);

        assertThat(outsider.get("/api/v1/endpoints/metered/metrics?project=" + P)
                        .status())
                .isEqualTo(404);
        assertThat(viewer.get("/api/v1/endpoints/nothing-here/metrics?project=" + P)
                        .status())
                .isEqualTo(404);
    }
}
