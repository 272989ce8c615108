package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.server.testing.Api;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each attempt's environment and hardware, as a worker process reports them and the server stores them. */
class AttemptEnvironmentIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestCluster cluster;
    private static Api api;
    private static Path tools;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.get();
        tools = cluster.repo().resolve(".baton/tools/bin");
        assertThat(tools.resolve("python3"))
                .as("the tools environment (./baton test creates it)")
                .isExecutable();
        // a pool of its own, whose worker finds the tools environment's python (with numpy) first on its PATH
        cluster.startWorker(
                "env1",
                List.of("env"),
                Map.of("PATH", tools + ":" + System.getenv("PATH"), "BATON_GPUS", "0:Fake GPU:16384:GPU-fake-env"));
        api = cluster.admin();
    }

    @Test
    void recordsThePythonPackagesVariablesAndMachineOfAnAttempt() throws Exception {
        JsonNode run =
                Runs.awaitEnd(api, Runs.submit(api, """
        name: environment
        steps:
          - name: numpy
            pool: env
            image: python:3.11-slim
            resources: {gpus: 1}
            env: {OMP_NUM_THREADS: "1", HF_TOKEN: hf_not_for_the_record}
            command: ["python3", "-c", "import numpy; print('numpy', numpy.__version__)"]
        """, null, null).get("id").asText(), Duration.ofSeconds(90));
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        String id = run.get("id").asText();
        String numpyVersion = Runs.logs(api, id, "numpy", "").trim().replace("numpy ", "");

        Stored stored = stored(id, "numpy");
        JsonNode environment = stored.environment();
        JsonNode hardware = stored.hardware();

        assertThat(environment.get("image").asText()).isEqualTo("python:3.11-slim");
        JsonNode python = environment.get("python");
        assertThat(python.get("executable").asText())
                .isEqualTo(tools.resolve("python3").toString());
        assertThat(python.get("version").asText()).startsWith("3.");
        assertThat(JSON.convertValue(python.get("packages"), List.class)).contains("numpy==" + numpyVersion);
        JsonNode variables = environment.get("variables");
        assertThat(variables.get("OMP_NUM_THREADS").asText()).isEqualTo("1");
        assertThat(variables.get("HF_TOKEN").asText()).isEqualTo("<redacted>");
        assertThat(variables.get("BATON_STEP").asText()).isEqualTo("numpy");
        assertThat(variables.get("CUDA_VISIBLE_DEVICES").asText()).isEqualTo("0");
        assertThat(variables.has("BATON_TOKEN")).isFalse();
        assertThat(environment.toString()).doesNotContain("hf_not_for_the_record");
        assertThat(environment.get("batonVersion").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(environment.get("os").get("name").asText()).isEqualTo(System.getProperty("os.name"));
        assertThat(environment.get("java").asText()).isNotBlank();

        assertThat(hardware.get("worker").asText()).isEqualTo("env1");
        assertThat(hardware.get("cpuModel").asText()).isNotBlank();
        assertThat(hardware.get("memoryBytes").asLong()).isPositive();
        assertThat(hardware.get("cpus").asInt()).isPositive();
        assertThat(hardware.get("gpus").get(0).get("uuid").asText()).isEqualTo("GPU-fake-env");
        assertThat(hardware.get("stepGpus").get(0).asInt()).isZero();
    }

    private record Stored(JsonNode environment, JsonNode hardware) {}

    /** Attempt 1's columns as the server wrote them (the public run JSON does not carry them). */
    private static Stored stored(String runId, String step) throws Exception {
        TestDatabase db = cluster.database();
        try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
                PreparedStatement q = c.prepareStatement(
                        "SELECT environment, hardware FROM attempts WHERE run_id = ? AND step = ? AND number = 1")) {
            q.setString(1, runId);
            q.setString(2, step);
            try (ResultSet r = q.executeQuery()) {
                assertThat(r.next()).as("attempt 1 of " + step).isTrue();
                return new Stored(JSON.readTree(r.getString("environment")), JSON.readTree(r.getString("hardware")));
            }
        }
    }
}
