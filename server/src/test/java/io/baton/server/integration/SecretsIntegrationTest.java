package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.baton.common.Hashing;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.TestDatabase;
import io.baton.workflows.SealedPayloads;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.History;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A step gets its project's secret as a variable, on a worker process and on the in-process worker; its value is
 * masked in the stored log, and found nowhere else: not in any API answer about the run, its record, an error, any
 * row of any table, Temporal's history of the run (its payloads opened with the key), or the cluster's files.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "sec-w", pools = "sec")
class SecretsIntegrationTest {
    static TestCluster cluster;
    static Api api;

    /** A step that shows its secret in every way a careless step would: plain, on stderr, in a metric line. */
    private static final String SHOW = "echo \"token=$API_TOKEN\"; echo \"stderr $API_TOKEN\" >&2;"
            + " printf '{\"%s\": 1, \"loss\": 0.5}\\n' \"$API_TOKEN\";"
            + " printf 'sha=%s\\n' \"$(printf %s \"$API_TOKEN\" | sha256sum | cut -c1-64)\"";

    @Test
    void aStepGetsItsSecretMaskedInItsLogAndTheValueIsFoundNowhereElse() throws Exception {
        String value = "sv-" + UUID.randomUUID() + "-Zq";
        api.project("secrets-it");
        Api.Answer set = api.send("PUT", "/projects/secrets-it/secrets/API_TOKEN", Map.of("value", value));
        assertThat(set.status()).as(set.text()).isEqualTo(201);
        List<String> answers = new ArrayList<>(List.of(set.text()));

        // errors about secrets and their steps
        answers.add(api.send("PUT", "/projects/secrets-it/secrets/bad-name", Map.of("value", value))
                .text());
        answers.add(api.send(
                        "PUT", "/projects/secrets-it/secrets/API_TOKEN", Map.of("value", value + "x".repeat(70_000)))
                .text());
        Api.Answer unknown = api.post("/runs", Map.of("project", "secrets-it", "spec", """
        name: unknown
        steps:
          - name: s
            pool: sec
            command: ["true"]
            secrets: [NOT_SET]
        """));
        assertThat(unknown.status()).isEqualTo(400);
        answers.add(unknown.text());

        String spec = """
        name: secrets-shown
        steps:
          - name: worker
            pool: sec
            command: [sh, -c, '%s']
            secrets: [API_TOKEN]
          - name: inproc
            pool: inproc
            command: [sh, -c, '%s']
            secrets: [API_TOKEN]
          - name: without
            pool: sec
            command: [sh, -c, 'echo "has=${API_TOKEN:-none}"']
        """.formatted(SHOW.replace("'", "''"), SHOW.replace("'", "''"));
        Api.Answer submitted = api.post("/runs", Map.of("project", "secrets-it", "spec", spec));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(201);
        answers.add(submitted.text());
        String runId = submitted.json().get("id").asText();
        JsonNode run = Runs.awaitEnd(api, runId, Duration.ofMinutes(2));
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

        String sha = Hashing.sha256(value);
        for (String step : List.of("worker", "inproc")) {
            String log = Runs.logs(api, runId, step, "");
            answers.add(log);
            assertThat(log).contains("token=***\n", "stderr ***\n", "sha=" + sha + "\n");
        }
        String without = Runs.logs(api, runId, "without", "");
        assertThat(without).contains("has=none");
        answers.add(without);

        for (String path : List.of(
                "/runs/" + runId,
                "/runs/" + runId + "/record",
                "/runs/" + runId + "/metrics",
                "/runs/" + runId + "/artifacts",
                "/runs?project=secrets-it",
                "/projects/secrets-it/secrets",
                "/runs/" + runId + "/steps/worker/logs?attempt=1")) {
            Api.Answer answer = api.get(path);
            assertThat(answer.status()).as(path + ": " + answer.text()).isEqualTo(200);
            answers.add(answer.text());
        }
        JsonNode record = api.get("/runs/" + runId + "/record").json();
        assertThat(record.toString()).contains("\"secrets\":[\"API_TOKEN\"]"); // what the steps were given, by name
        // the metric line's point is kept, under the masked name
        assertThat(api.get("/runs/" + runId + "/metrics").text())
                .contains("loss")
                .contains("***");

        assertThat(answers).allSatisfy(text -> assertThat(text).doesNotContain(value));
        String dump = databaseDump();
        assertThat(dump).contains("token=***").contains("API_TOKEN"); // the logs are stored as text, the name too
        assertThat(dump).doesNotContain(value);
        String history = openedHistory("run-" + runId);
        assertThat(history).contains("API_TOKEN").contains("secrets-shown"); // the payloads were opened
        assertThat(history).doesNotContain(value);
        assertThat(clusterFilesHolding(value)).isEmpty();
    }

    /** Every value of every row of every table, as text. */
    private static String databaseDump() throws Exception {
        TestDatabase db = cluster.database();
        StringBuilder dump = new StringBuilder();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet r = c.getMetaData().getTables(c.getCatalog(), null, "%", new String[] {"TABLE"})) {
                while (r.next()) {
                    tables.add(r.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("secrets", "log_chunks", "metric_chunks", "runs", "attempts");
            for (String table : tables) {
                try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = r.getMetaData().getColumnCount();
                    while (r.next()) {
                        for (int i = 1; i <= columns; i++) {
                            byte[] bytes = r.getBytes(i);
                            if (bytes != null) {
                                dump.append(new String(bytes, StandardCharsets.UTF_8))
                                        .append('\t');
                            }
                        }
                        dump.append('\n');
                    }
                }
            }
        }
        return dump.toString();
    }

    /** The run's workflow history with every payload opened with the payload key: what Temporal holds, in clear. */
    private static String openedHistory(String workflowId) {
        History history = cluster.temporalClient().fetchHistory(workflowId).getHistory();
        // plain payloads (search attributes, headers) pass as they are; sealed ones are opened
        SealedPayloads codec = new SealedPayloads(cluster.payloadKeys(), true);
        StringBuilder out = new StringBuilder(history.toString());
        appendPayloads(history, codec, out);
        return out.toString();
    }

    private static void appendPayloads(Message message, SealedPayloads codec, StringBuilder out) {
        if (message instanceof Payload payload) {
            for (Payload opened : codec.decode(List.of(payload))) {
                out.append(opened.getData().toStringUtf8()).append('\n');
            }
            return;
        }
        for (Map.Entry<Descriptors.FieldDescriptor, Object> field :
                message.getAllFields().entrySet()) {
            Object v = field.getValue();
            for (Object item : v instanceof List<?> list ? list : List.of(v)) {
                if (item instanceof Message m) {
                    appendPayloads(m, codec, out);
                } else if (item instanceof ByteString bytes) {
                    out.append(bytes.toStringUtf8()).append('\n');
                }
            }
        }
    }

    /** The cluster's files (logs of the server, workers and Temporal, Temporal's database, blobs) holding it. */
    private static List<Path> clusterFilesHolding(String value) throws Exception {
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(cluster.serverDataDir().getParent())) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        try {
                            return Files.size(f) < (256L << 20) && contains(Files.readAllBytes(f), needle);
                        } catch (Exception e) {
                            return false; // a file deleted or unreadable while walking
                        }
                    })
                    .toList();
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
