package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.bundle.BundlePacker;
import io.baton.server.testing.Api;
import io.baton.server.testing.TestCluster;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The iris example as a user runs it (its code, its data as a dataset, its baton.yaml), on the real stack: it
 * registers its best model, whose lineage reaches the code bundle and the dataset, and a reproduction of the run
 * makes byte-identical outputs, step by step.
 */
class IrisExampleIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    @Test
    void irisRegistersItsBestModelAndAReproductionMakesTheSameFiles() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api api = cluster.admin().project("tests");
        Path tools = cluster.repo().resolve(".baton/tools/bin");
        assertThat(tools.resolve("python3"))
                .as("the tools environment (./baton test creates it)")
                .isExecutable();
        // a pool of its own, on a worker started as ./baton worker starts one: its steps find numpy and scikit-learn
        cluster.startWorker("iris1", List.of("iris"));
        Path example = cluster.repo().resolve("examples/iris");
        String bundle = Runs.uploadBundle(api, tgz(example));
        assertThat(api.post("/datasets", Map.of("name", "iris", "project", "tests"))
                        .status())
                .isEqualTo(201);
        Api.Answer data = api.postRaw(
                "/datasets/iris/versions",
                "application/gzip",
                tgz(cluster.repo().resolve("examples/iris-data")),
                Map.of());
        assertThat(data.status()).as(data.text()).isEqualTo(201);
        String spec = Files.readString(example.resolve("baton.yaml"))
                .replaceAll("(?m)^  - name: (.*)$", "  - name: $1\n    pool: iris");

        JsonNode run = Runs.awaitEnd(
                api, Runs.submit(api, spec, bundle, Map.of()).get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
        assertThat(Runs.step(run, "pick").get("reason").asText())
                .isEqualTo("registered as model iris-classifier version 1");
        JsonNode version = api.get("/models/iris-classifier/versions/1").json();
        assertThat(version.get("files").get(0).get("path").asText()).isEqualTo("best/model.pkl");
        assertThat(version.get("metrics").get("accuracy").asDouble()).isGreaterThan(0.8);
        List<String> nodes = new ArrayList<>();
        api.get("/models/iris-classifier/versions/1/lineage")
                .json()
                .get("nodes")
                .forEach(n -> nodes.add(n.get("id").asText()));
        assertThat(nodes)
                .contains(
                        "bundle:" + bundle,
                        "dataset:iris/" + data.json().get("version").asInt());

        Api.Answer reproduced = api.post("/runs/" + run.get("id").asText() + "/reproduce", Map.of());
        assertThat(reproduced.status()).as(reproduced.text()).isEqualTo(201);
        JsonNode again = Runs.awaitEnd(api, reproduced.json().get("id").asText(), RUN_TIMEOUT);

        assertThat(again.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(outputs(again)).isEqualTo(outputs(run)).hasSize(6);
        assertThat(Runs.step(again, "preprocess").get("status").asText())
                .as("reproductions take nothing from the cache")
                .isEqualTo("SUCCEEDED");
    }

    /** Each step's outputs: path -> sha256. */
    private static Map<String, Map<String, String>> outputs(JsonNode run) {
        Map<String, Map<String, String>> outputs = new LinkedHashMap<>();
        for (JsonNode step : run.get("steps")) {
            Map<String, String> files = new LinkedHashMap<>();
            step.get("outputs")
                    .forEach(o ->
                            files.put(o.get("path").asText(), o.get("sha256").asText()));
            outputs.put(step.get("name").asText(), files);
        }
        return outputs;
    }

    private static byte[] tgz(Path folder) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BundlePacker.pack(folder, out);
        return out.toByteArray();
    }
}
