package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.TestDatabase;
import io.baton.server.testing.Wait;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests built to hurt the server (issue 14: denial of service, runs that can never start, the small ones): each
 * is refused or served at a small, bounded cost with the JSON error, and the API keeps answering meanwhile.
 */
@ExtendWith(ClusterExtension.class)
class ApiHardeningIntegrationTest {
    /** What a test allows for one refusal on a loaded machine (the goal is well under a second). */
    private static final long BOUND_MILLIS = 3_000;

    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    // ---- denial of service (item 8) ----

    @Test
    void aNumberWithAHugeExponentIsRefusedAtOnce() {
        String spec = "name: big-exponent\nparameters:\n  - {name: n, type: integer, default: 1}\n"
                + "  - {name: x, type: float, default: 1.0}\nsteps:\n  - name: a\n    command: [\"true\"]\n";
        for (String value : List.of("1e30000000", "1e-30000000", "9".repeat(5000))) {
            for (String name : List.of("n", "x")) {
                Api.Answer a = timed(() -> api.post("/runs", Map.of("spec", spec, "parameters", Map.of(name, value))));
                assertThat(a.status())
                        .as(name + "=" + value.substring(0, 10) + ": " + a.text())
                        .isEqualTo(400);
                assertThat(a.json().get("error").asText()).isEqualTo("invalid_parameters");
            }
        }
        assertThat(timed(() -> api.get("/runs?metric=acc:gt:1e99999999")).status())
                .isEqualTo(400);
        Api.Answer token = timed(() -> api.postRaw(
                "/tokens",
                "application/json",
                "{\"kind\": \"user\", \"name\": \"exp\", \"expiresAt\": 1e30000000}".getBytes(),
                Map.of()));
        assertThat(token.status()).as(token.text()).isEqualTo(400);
    }

    @Test
    void anArchiveDeclaringAHugeLongNameIsRefusedWithoutReadingIt() throws Exception {
        for (byte type : new byte[] {TarConstants.LF_GNUTYPE_LONGNAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC}) {
            byte[] tgz = hugeHeader(type, 300L << 20);
            assertThat(tgz.length).isLessThan(1 << 20);
            Api.Answer bundle = timed(() -> api.postRaw("/bundles", "application/gzip", tgz, Map.of()));
            assertThat(bundle.status()).as(bundle.text()).isEqualTo(400);
            assertThat(bundle.json().get("message").asText()).contains("at most");
            api.post("/datasets", Map.of("name", "huge-names"));
            Api.Answer dataset =
                    timed(() -> api.postRaw("/datasets/huge-names/versions", "application/gzip", tgz, Map.of()));
            assertThat(dataset.status()).as(dataset.text()).isEqualTo(400);
        }
        assertThat(api.get("/health").status()).isEqualTo(200);
    }

    @Test
    void thousandsOfLogFollowsThatDisconnectLeaveTheApiAnswering() throws Exception {
        JsonNode run = Runs.submit(api, """
        name: follows
        steps:
          - name: train
            pool: inproc
            matrix: {lr: [0.1]}
            env: {API_TOKEN: s3cret-value, PLAIN: shown}
            command: ["sh", "-c", "echo hello; sleep 120"]
        """, null, null);
        String id = run.get("id").asText();
        String step = "train[lr=0.1]";
        String logs = "/api/v1/runs/" + id + "/steps/train%5Blr%3D0.1%5D/logs";
        Wait.until(
                "the step's first log line",
                Duration.ofSeconds(90),
                () -> raw("GET " + logs + " HTTP/1.1").contains("hello") ? true : null);

        // the record shows the step's env as the attempt's recorded environment does: secrets redacted
        JsonNode env =
                api.get("/runs/" + id + "/record").json().get("steps").get(0).get("env");
        assertThat(env.get("API_TOKEN").asText()).isEqualTo("<redacted>");
        assertThat(env.get("PLAIN").asText()).isEqualTo("shown");

        // 1,100 follows whose clients go away at once
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            sent.add(pool.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", port())) {
                    s.getOutputStream().write(request("GET " + logs + "?follow=true HTTP/1.1"));
                    s.getOutputStream().flush();
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        pool.shutdown();
        assertThat(timed(() -> api.get("/runs/" + id)).status()).isEqualTo(200);
        // a follow that stays: the same caller is still served (or told 429 in JSON), never left waiting
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request("GET " + logs + "?follow=true HTTP/1.1"));
            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(head).isIn("HTTP/1.1 200", "HTTP/1.1 429");
        }
        Api.Answer cancel = timed(() -> api.post("/runs/" + id + "/cancel", Map.of()));
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(Runs.awaitEnd(api, id, Duration.ofSeconds(60)).get("status").asText())
                .isEqualTo("CANCELLED");

        // a step name with brackets, as typed (curl -g): it reaches the route
        String typed = raw("GET /api/v1/runs/" + id + "/steps/" + step + "/logs HTTP/1.1");
        assertThat(typed).startsWith("HTTP/1.1 200").contains("hello");
    }

    @Test
    void jettyLevelErrorsAreTheJsonErrorToo() throws Exception {
        for (String line : List.of("GET /api/v1/runs/%zz HTTP/1.1", "GET /api/v1/runs/a\\b/../x HTTP/1.1")) {
            String answer = raw(line);
            assertThat(answer)
                    .as(line)
                    .startsWith("HTTP/1.1 4")
                    .containsIgnoringCase("content-type: application/json")
                    .contains("\"error\"")
                    .doesNotContain("<html");
        }
    }

    // ---- runs that can never start (item 4) ----

    @Test
    void runsTemporalWouldRefuseAreRefusedAtSubmission() {
        StringBuilder steps = new StringBuilder("name: too-many-steps\nsteps:\n");
        String thousand = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        for (int i = 0; i < 10; i++) {
            steps.append("  - name: s")
                    .append(i)
                    .append("\n    matrix: {i: ")
                    .append(thousand)
                    .append("}\n    command: [\"true\"]\n");
        }
        assertThat(steps.length()).isGreaterThan(45_000);
        Api.Answer many = timed(() -> api.post("/runs", Map.of("spec", steps.toString())));
        assertThat(many.status()).as(many.text()).isEqualTo(400);
        assertThat(many.json().get("error").asText()).isEqualTo("run_too_large");
        assertThat(many.json().get("message").asText()).contains("10000 steps").contains("at most 1000");

        String threeHundred = java.util.stream.IntStream.range(0, 300)
                .mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
        String wide = "name: too-large-plan\nsteps:\n  - name: s\n    matrix: {i: " + threeHundred
                + "}\n    env: {BIG: \"" + "x".repeat(8000) + "\"}\n    command: [\"true\"]\n";
        Api.Answer large = api.post("/runs", Map.of("spec", wide));
        assertThat(large.status()).as(large.text()).isEqualTo(400);
        assertThat(large.json().get("error").asText()).isEqualTo("run_too_large");
        assertThat(large.json().get("message").asText()).contains("2,031,616 bytes");
    }

    @Test
    void temporalRefusesAPayloadOverItsLimitAndTakesOneAtBatonsLimit() {
        WorkflowOptions options =
                WorkflowOptions.newBuilder().setTaskQueue("payload-limit-probe").build();
        WorkflowStub over = cluster.temporalClient()
                .newUntypedWorkflowStub(
                        "Probe",
                        options.toBuilder()
                                .setWorkflowId("probe-over-" + System.nanoTime())
                                .build());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> over.start("x".repeat((2 << 20) + 1024))))
                .as("Temporal's dev server refuses a payload over 2 MiB")
                .isNotNull();
        WorkflowStub at = cluster.temporalClient()
                .newUntypedWorkflowStub(
                        "Probe",
                        options.toBuilder()
                                .setWorkflowId("probe-at-" + System.nanoTime())
                                .build());
        at.start("x".repeat((2 << 20) - (64 << 10) - 64));
        at.terminate("probe only");
    }

    @Test
    void aRunWhoseWorkflowNeverStartedCanBeCancelled() throws Exception {
        JsonNode done = Runs.submit(
                api, "name: copied\nsteps:\n  - name: a\n    pool: inproc\n    command: [\"true\"]\n", null, null);
        String original = done.get("id").asText();
        Runs.awaitEnd(api, original, Duration.ofSeconds(60));
        String id = "queued-" + System.nanoTime();
        TestDatabase db = cluster.database();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            // a run Temporal will not start: its plan is over the payload limit (as runs accepted before the check)
            try (PreparedStatement copy = c.prepareStatement("INSERT INTO runs (id, project, pipeline, status,"
                    + " workflow_id, spec, spec_sha256, parameters, plan, priority, created_by, created_at) SELECT ?, project,"
                    + " pipeline, 'QUEUED', ?, spec, spec_sha256, parameters, ?, priority, created_by, created_at FROM runs"
                    + " WHERE id = ?")) {
                copy.setString(1, id);
                copy.setString(2, "run-" + id);
                copy.setString(3, "{\"runId\": \"" + id + "\", \"pipeline\": \"" + "x".repeat(3 << 20) + "\"}");
                copy.setString(4, original);
                assertThat(copy.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement step =
                    c.prepareStatement("INSERT INTO steps (run_id, name, step_order, pool, status)"
                            + " VALUES (?, 'a', 0, 'cpu', 'PENDING')")) {
                step.setString(1, id);
                step.executeUpdate();
            }
        }
        Api.Answer cancel = api.post("/runs/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);
        JsonNode run = api.get("/runs/" + id).json();
        assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(Runs.step(run, "a").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.post("/runs/" + id + "/cancel", Map.of()).status()).isEqualTo(409);
    }

    // ---- the small ones (item 11) ----

    @Test
    void duplicateKeysAndFractionsForWholeNumbersAreRefused() {
        Api.Answer dup = api.postRaw(
                "/tokens",
                "application/json",
                "{\"kind\": \"user\", \"name\": \"dup\", \"admin\": false, \"admin\": true}".getBytes(),
                Map.of());
        assertThat(dup.status()).as(dup.text()).isEqualTo(400);
        assertThat(dup.json().get("error").asText()).isEqualTo("bad_json");
        assertThat(dup.json().get("message").asText()).contains("admin");
        assertThat(api.get("/tokens").text()).doesNotContain("\"dup\"");
        Api.Answer priority = api.post(
                "/runs", Map.of("spec", "name: p\nsteps:\n  - name: a\n    command: [\"true\"]\n", "priority", 3.7));
        assertThat(priority.status()).as(priority.text()).isEqualTo(400);
        assertThat(priority.json().get("message").asText()).contains("priority");
        Api.Answer alias = api.send("PUT", "/models/no-such-model/aliases/production", Map.of("version", 1.5));
        assertThat(alias.status()).as(alias.text()).isEqualTo(400);
    }

    @Test
    void malformedQueryParametersAndMadeUpCursorsAre400sNamingThem() {
        for (String[] q : new String[][] {
            {"/runs/x/steps/y/logs?offset=abc", "offset"},
            {"/runs/x/steps/y/logs?attempt=first", "attempt"},
            {"/datasets?limit=ten", "limit"},
            {"/models?limit=1.5", "limit"},
            {"/runs?cursor=abc", "cursor"},
            {"/datasets?cursor=YWJj", "cursor"},
            {"/models?cursor=MTA", "cursor"},
            {"/runs?since=%2B1000000000-01-01T00:00:00Z", "since"},
            {"/runs?until=-999999999-01-01T00:00:00Z", "until"}
        }) {
            Api.Answer a = api.get(q[0]);
            assertThat(a.status()).as(q[0] + ": " + a.text()).isEqualTo(400);
            assertThat(a.json().get("message").asText()).as(q[0]).contains(q[1]);
        }
        Api.Answer far =
                api.post("/tokens", Map.of("kind", "user", "name", "far", "expiresAt", "+1000000000-12-31T00:00:00Z"));
        assertThat(far.status()).as(far.text()).isEqualTo(400);
        assertThat(far.json().get("message").asText()).contains("expiresAt");
    }

    @Test
    void valuesNoStepCanUseAreRefusedAtValidation() {
        String withNote = "name: nul\nparameters:\n  - {name: note, default: x}\nsteps:\n  - name: a\n"
                + "    command: [\"echo\", \"{parameters.note}\"]\n";
        assertThat(api.post("/runs", Map.of("spec", withNote, "parameters", Map.of("note", "a\u0000b")))
                        .status())
                .isEqualTo(400);
        for (String step : List.of(
                "    env: {X: \"a\\0b\"}\n    command: [\"true\"]\n",
                "    resources: {cpus: 1e308}\n    command: [\"true\"]\n",
                "    command: 5\n")) {
            Api.Answer a = api.post("/runs", Map.of("spec", "name: bad\nsteps:\n  - name: a\n" + step));
            assertThat(a.status()).as(step + a.text()).isEqualTo(400);
            assertThat(a.json().get("error").asText()).isEqualTo("invalid_spec");
        }
    }

    @Test
    void namesNoFileSystemTakesAreRefusedAtUploadAndLeaveNothingBehind() throws Exception {
        String tooLong = "n".repeat(256) + ".txt";
        byte[] longName = withFileThenEntry(tooLong, "x", null);
        Api.Answer bundle = api.postRaw("/bundles", "application/gzip", longName, Map.of());
        assertThat(bundle.status()).as(bundle.text()).isEqualTo(400);
        api.post("/datasets", Map.of("name", "long-names"));
        Api.Answer dataset = api.postRaw("/datasets/long-names/versions", "application/gzip", longName, Map.of());
        assertThat(dataset.status()).as(dataset.text()).isEqualTo(400);

        // a file the server would keep, then one it refuses: nothing of the upload is kept
        String unique = "kept? " + System.nanoTime();
        TarArchiveEntry link = new TarArchiveEntry("z-link", TarConstants.LF_SYMLINK);
        link.setLinkName("a.txt");
        byte[] tgz = withFileThenEntry("a.txt", unique, link);
        Api.Answer refused = api.postRaw("/datasets/long-names/versions", "application/gzip", tgz, Map.of());
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        String sha = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(unique.getBytes(StandardCharsets.UTF_8)));
        try (Stream<Path> files = Files.walk(cluster.serverDataDir().resolve("blobs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(sha);
        }
    }

    @Test
    void aClientAbortingAnUploadIsNoInternalError() throws Exception {
        Path log = cluster.serverDataDir().getParent().resolve("server.log");
        long before = Files.size(log);
        try (Socket s = new Socket("127.0.0.1", port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/v1/bundles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token()
                            + "\r\nContent-Type: application/gzip\r\nContent-Length: 100000\r\n\r\n")
                    .getBytes());
            out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0});
            out.flush();
        }
        Wait.until("the server to log the aborted upload", Duration.ofSeconds(30), () -> {
            try {
                return new String(Files.readAllBytes(log), StandardCharsets.UTF_8)
                                .substring((int) before)
                                .contains("closed its connection")
                        ? true
                        : null;
            } catch (IOException e) {
                return null;
            }
        });
        String since = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) before);
        assertThat(since).doesNotContain("internal error");
    }

    @Test
    void mlflowLinksUseThePublicUrlNotTheHostHeader() {
        api.project("tests");
        JsonNode run =
                Runs.awaitEnd(api, Runs.submit(api, """
        name: public-url
        steps:
          - name: make
            pool: inproc
            command: ["sh", "-c", "echo weights > $BATON_OUTPUTS/w.bin"]
            outputs: [w.bin]
            register: {model: public-url-model, path: w.bin}
        """, null, null).get("id").asText(), Duration.ofSeconds(90));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        int version = api.get("/models/public-url-model?project=tests")
                .json()
                .get("latestVersion")
                .asInt();
        String uri = raw(
                "GET /p/tests/api/2.0/mlflow/model-versions/get-download-uri?name=public-url-model&version=" + version
                        + " HTTP/1.1",
                "evil.example");
        assertThat(uri)
                .startsWith("HTTP/1.1 200")
                .contains("http://127.0.0.1:" + port() + "/p/tests/api/2.0/mlflow-artifacts/")
                .doesNotContain("evil.example");
        String redirect = raw(
                "GET /p/tests/api/2.0/mlflow-artifacts/artifacts/models/public-url-model/" + version
                        + "/w.bin HTTP/1.1",
                "evil.example");
        assertThat(redirect)
                .startsWith("HTTP/1.1 307")
                .contains("127.0.0.1:" + port() + "/api/v1/artifacts/")
                .doesNotContain("evil.example");
    }

    // ---- helpers ----

    private static <T> T timed(Supplier<T> call) {
        long started = System.nanoTime();
        T answer = call.get();
        assertThat((System.nanoTime() - started) / 1_000_000)
                .as("milliseconds to answer")
                .isLessThan(BOUND_MILLIS);
        return answer;
    }

    private static int port() {
        return URI.create(cluster.apiBase()).getPort();
    }

    private static String token() {
        return api.token();
    }

    private static byte[] request(String requestLine) {
        return request(requestLine, "127.0.0.1");
    }

    private static byte[] request(String requestLine, String host) {
        return (requestLine + "\r\nHost: " + host + "\r\nAuthorization: Bearer " + token()
                        + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A request sent as its bytes (java.net.URI refuses a raw '[' in a path); the whole answer as text. */
    private static String raw(String requestLine) {
        return raw(requestLine, "127.0.0.1");
    }

    private static String raw(String requestLine, String host) {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request(requestLine, host));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] withFileThenEntry(String name, String content, TarArchiveEntry then) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_GNU);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry(name);
            file.setSize(data.length);
            tar.putArchiveEntry(file);
            tar.write(data);
            tar.closeArchiveEntry();
            if (then != null) {
                tar.putArchiveEntry(then);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A tar.gz whose first entry declares (and holds, as one letter) {@code size} bytes of long name or PAX header. */
    private static byte[] hugeHeader(byte type, long size) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GzipCompressorOutputStream(bytes)) {
            TarArchiveEntry header = new TarArchiveEntry("././@LongLink", type);
            header.setSize(size);
            byte[] record = new byte[512];
            header.writeEntryHeader(record);
            gz.write(record);
            byte[] first = (type == 'x' ? size + " path=" : "").getBytes(StandardCharsets.UTF_8);
            gz.write(first);
            byte[] chunk = new byte[1 << 16];
            Arrays.fill(chunk, (byte) 'a');
            for (long left = size - first.length; left > 0; left -= chunk.length) {
                gz.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            gz.write(new byte[(int) ((512 - size % 512) % 512)]);
            TarArchiveEntry file = new TarArchiveEntry("x.txt");
            file.setSize(0);
            file.writeEntryHeader(record);
            gz.write(record);
            gz.write(new byte[1024]);
        }
        return bytes.toByteArray();
    }
}
