package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The worker API's {@code endsStep} over HTTP, on a run of a pool that no worker serves (so only this test reports
 * its attempts): the success ends the step, a later attempt is told the step succeeded and runs nothing, and the
 * run's cancellation leaves the ended step as it was.
 */
class AttemptEndsStepIntegrationTest {
    private static final String SPEC = """
      name: ended-by-attempt
      steps:
        - name: train
          pool: ends-nobody
          command: ["true"]
          outputs: [model.bin]
        - name: evaluate
          pool: ends-nobody
          needs: [train]
          command: ["true"]
      """;

    @Test
    void aSuccessThatEndsItsStepIsFinalAndALaterAttemptRunsNothing() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api api = cluster.admin();
        Api.Answer token = api.post("/tokens", Map.of("kind", "worker", "name", "ends-reporter"));
        assertThat(token.status()).as(token.text()).isEqualTo(201);
        // an admin reports for the worker: no worker was given the step by Temporal, and a worker token may report
        // only steps it was given (WorkerTokensIntegrationTest)
        Api worker = api;
        String id = Runs.submit(api, SPEC, null, null).get("id").asText();
        String attempts = "/runs/" + id + "/steps/train/attempts";
        Api.Answer blob = worker.postRaw(
                "/blobs", "application/octet-stream", "weights".getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(blob.status()).as(blob.text()).isEqualTo(200);
        Map<String, Object> model =
                Map.of("path", "model.bin", "sha256", blob.json().get("sha256").asText(), "size", 7);

        assertThat(worker.post(attempts, Map.of("number", 1, "worker", "ends-reporter"))
                        .status())
                .isEqualTo(200);
        Api.Answer refused =
                worker.post(attempts + "/1/finish", Map.of("status", "FAILED", "exitCode", 1, "endsStep", true));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asText()).contains("'endsStep' is only for a SUCCEEDED attempt");
        Api.Answer badInput = worker.post(
                attempts + "/1/finish",
                Map.of(
                        "status",
                        "SUCCEEDED",
                        "exitCode",
                        0,
                        "outputs",
                        List.of(model),
                        "endsStep",
                        true,
                        "inputs",
                        List.of(Map.of(
                                "name",
                                "data",
                                "path",
                                "../x",
                                "sha256",
                                blob.json().get("sha256").asText(),
                                "size",
                                7))));
        assertThat(badInput.status()).isEqualTo(400);
        assertThat(badInput.json().get("message").asText()).contains("'..' segment");
        JsonNode untouched = Runs.step(api.get("/runs/" + id).json(), "train");
        assertThat(untouched.get("status").asText()).isEqualTo("RUNNING");
        assertThat(untouched.get("attempts").get(0).get("status").asText()).isEqualTo("RUNNING");

        Api.Answer finished = worker.post(
                attempts + "/1/finish",
                Map.of("status", "SUCCEEDED", "exitCode", 0, "outputs", List.of(model), "endsStep", true));
        assertThat(finished.status()).as(finished.text()).isEqualTo(204);
        JsonNode train = Runs.step(api.get("/runs/" + id).json(), "train");
        assertThat(train.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(train.get("finishedAt").isNull()).isFalse();
        assertThat(train.get("outputs").get(0).get("path").asText()).isEqualTo("model.bin");

        Api.Answer again = worker.post(attempts, Map.of("number", 2, "worker", "ends-reporter"));
        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().get("stepSucceeded").asBoolean()).isTrue();
        assertThat(again.json().get("outputs").get(0).get("sha256").asText())
                .isEqualTo(blob.json().get("sha256").asText());
        assertThat(Runs.step(api.get("/runs/" + id).json(), "train").get("attempts"))
                .hasSize(1);

        assertThat(api.post("/runs/" + id + "/cancel", Map.of()).status()).isIn(200, 202);
        JsonNode run = Runs.awaitEnd(api, id, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(Runs.step(run, "train").get("status").asText())
                .as("an ended step stays ended")
                .isEqualTo("SUCCEEDED");
        assertThat(Runs.step(run, "evaluate").get("status").asText()).isEqualTo("CANCELLED");
    }
}
