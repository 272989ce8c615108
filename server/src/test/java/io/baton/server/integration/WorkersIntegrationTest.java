package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ChildProcess;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Workers and pools: GPU placement on declared GPUs, refusal of what no worker fits, waiting, drain, removal. */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
// two workers serve pool cpu; one of them also serves pool gpu, with two declared GPUs
@ClusterExtension.Worker(
        name = "gpu1",
        pools = {"cpu", "gpu"},
        env = "BATON_GPUS=" + WorkersIntegrationTest.TWO_GPUS)
class WorkersIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    static final String TWO_GPUS = "0:Fake GPU:16384:GPU-fake-0,1:Fake GPU:16384:GPU-fake-1";
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @Test
    void gpuStepsGetGpusOfTheirOwnAndOtherStepsNone() {
        JsonNode run =
                Runs.awaitEnd(api, Runs.submit(api, """
        name: gpus
        steps:
          - name: a
            pool: gpu
            resources: {gpus: 1}
            command: ["sh", "-c", "echo visible=$CUDA_VISIBLE_DEVICES; sleep 2"]
          - name: b
            pool: gpu
            resources: {gpus: 1}
            command: ["sh", "-c", "echo visible=$CUDA_VISIBLE_DEVICES; sleep 2"]
          - name: both
            needs: [a, b]
            pool: gpu
            resources: {gpus: 2}
            command: ["sh", "-c", "echo visible=$CUDA_VISIBLE_DEVICES"]
          - name: none
            needs: [both]
            pool: gpu
            command: ["sh", "-c", "echo visible=[$CUDA_VISIBLE_DEVICES]"]
        """, null, null).get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        String id = run.get("id").asText();
        String a = Runs.logs(api, id, "a", "").trim();
        String b = Runs.logs(api, id, "b", "").trim();
        assertThat(List.of(a, b)).containsExactlyInAnyOrder("visible=0", "visible=1");
        assertThat(Runs.logs(api, id, "both", "")).isEqualTo("visible=0,1\n");
        assertThat(Runs.logs(api, id, "none", "")).isEqualTo("visible=[]\n");
        JsonNode attemptA = Runs.step(run, "a").get("attempts").get(0);
        JsonNode attemptB = Runs.step(run, "b").get("attempts").get(0);
        assertThat(Instant.parse(attemptA.get("startedAt").asText()))
                .isBefore(Instant.parse(attemptB.get("finishedAt").asText()));
        assertThat(Instant.parse(attemptB.get("startedAt").asText()))
                .isBefore(Instant.parse(attemptA.get("finishedAt").asText()));
    }

    @Test
    void aRunWithAStepNoRegisteredWorkerCouldEverFitIsRefused() {
        Api.Answer refused = api.post("/runs", Map.of("spec", """
        name: too-big
        steps:
          - name: huge
            pool: gpu
            resources: {gpus: 3}
            command: ["true"]
        """));
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.json().get("error").asText()).isEqualTo("unplaceable");
        assertThat(refused.json().get("message").asText())
                .contains("huge")
                .contains("3 GPU(s)")
                .contains("gpu1");
    }

    @Test
    void workersShowTheirGpusAndPoolsTheirCapacity() {
        JsonNode worker = api.get("/workers/gpu1").json();
        assertThat(worker.get("status").asText()).isEqualTo("ONLINE");
        assertThat(worker.get("gpus").findValuesAsText("uuid")).containsExactly("GPU-fake-0", "GPU-fake-1");
        assertThat(List.of(
                        worker.get("pools").get(0).asText(),
                        worker.get("pools").get(1).asText()))
                .containsExactly("cpu", "gpu");
        assertThat(worker.get("cudaDriverVersion").asText()).isEqualTo("declared");
        assertThat(worker.get("batonVersion").asText()).isNotBlank();
        JsonNode pools = api.get("/pools").json().get("items");
        JsonNode gpu = null;
        for (JsonNode p : pools) {
            if (p.get("name").asText().equals("gpu")) {
                gpu = p;
            }
        }
        assertThat(gpu).as(pools.toString()).isNotNull();
        assertThat(gpu.get("workersOnline").asInt()).isEqualTo(1);
        assertThat(gpu.get("gpus").asInt()).isEqualTo(2);
        assertThat(gpu.get("slots").asInt()).isEqualTo(4);
        assertThat(gpu.has("backlog")).isTrue();
    }

    @Test
    void aStepForAPoolWithoutWorkersWaitsAndSaysWhy() {
        String id = Runs.submit(api, """
        name: nowhere
        steps:
          - name: lonely
            pool: nowhere
            command: ["true"]
        """, null, null).get("id").asText();
        JsonNode step = Runs.step(api.get("/runs/" + id).json(), "lonely");
        assertThat(step.get("status").asText()).isEqualTo("PENDING");
        assertThat(step.get("reason").asText()).isEqualTo("waiting for pool nowhere: 0 workers online");
        assertThat(api.post("/runs/" + id + "/cancel", Map.of()).status()).isEqualTo(202);
        assertThat(Runs.awaitEnd(api, id, RUN_TIMEOUT).get("status").asText()).isEqualTo("CANCELLED");
    }

    @Test
    void drainedWorkerFinishesItsStepTakesNoNewOneThenStopsAndCanBeRemoved() throws Exception {
        ChildProcess worker = cluster.startWorker("dr1", List.of("draining"));
        String first = Runs.submit(api, """
        name: drained
        steps:
          - name: running
            pool: draining
            command: ["sh", "-c", "sleep 3; echo finished"]
        """, null, null).get("id").asText();
        Wait.until(
                "the step to run",
                Duration.ofSeconds(60),
                () -> Runs.step(api.get("/runs/" + first).json(), "running")
                                .get("attempts")
                                .size()
                        == 1);

        Api.Answer drain = api.post("/workers/dr1/drain", Map.of());
        assertThat(drain.status()).as(drain.text()).isEqualTo(202);
        assertThat(drain.json().get("status").asText()).isEqualTo("DRAINING");
        assertThat(api.send("DELETE", "/workers/dr1", null).status()).isEqualTo(409);
        // the worker learns of the drain with its next heartbeat, and says so in the one after
        Wait.until(
                "the worker to confirm it drains",
                Duration.ofSeconds(30),
                () -> api.get("/workers/dr1").json().get("draining").asBoolean());
        String second = Runs.submit(api, """
        name: after-drain
        steps:
          - name: waiting
            pool: draining
            command: ["true"]
        """, null, null).get("id").asText();

        JsonNode finished = Runs.awaitEnd(api, first, RUN_TIMEOUT);
        assertThat(finished.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Runs.logs(api, first, "running", "")).isEqualTo("finished\n");
        Wait.until("the drained worker to exit", Duration.ofSeconds(60), () -> !worker.alive());
        // the worker polls no more once it drains; a poll that was already out may have brought this step: then it ran
        // there as attempt 1 (handed back, it would have spent one of its attempts)
        JsonNode attempts =
                Runs.step(api.get("/runs/" + second).json(), "waiting").get("attempts");
        if (!attempts.isEmpty()) {
            assertThat(attempts).hasSize(1);
            assertThat(attempts.get(0).get("number").asInt()).isEqualTo(1);
            assertThat(attempts.get(0).get("worker").asText()).isEqualTo("dr1");
            assertThat(attempts.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
        }
        Wait.until(
                "the worker to be OFFLINE",
                Duration.ofSeconds(30),
                () -> "OFFLINE"
                        .equals(api.get("/workers/dr1").json().get("status").asText()));

        assertThat(api.send("DELETE", "/workers/dr1", null).status()).isEqualTo(204);
        assertThat(api.get("/workers/dr1").status()).isEqualTo(404);
        api.post("/runs/" + second + "/cancel", Map.of());
        Runs.awaitEnd(api, second, RUN_TIMEOUT);
    }

    @Test
    void sigtermDrainsTheWorkerItsRunningStepFinishesThenItExits() throws Exception {
        ChildProcess worker = cluster.startWorker("dr2", List.of("sigterm"));
        String id = Runs.submit(api, """
        name: sigterm
        steps:
          - name: running
            pool: sigterm
            command: ["sh", "-c", "sleep 3; echo finished"]
        """, null, null).get("id").asText();
        Wait.until(
                "the step to run",
                Duration.ofSeconds(60),
                () -> Runs.step(api.get("/runs/" + id).json(), "running")
                                .get("attempts")
                                .size()
                        == 1);

        worker.sigterm();

        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode attempts = Runs.step(run, "running").get("attempts");
        assertThat(attempts).hasSize(1);
        assertThat(attempts.get(0).get("worker").asText()).isEqualTo("dr2");
        assertThat(Runs.logs(api, id, "running", "")).isEqualTo("finished\n");
        Wait.until("the worker to exit", Duration.ofSeconds(60), () -> !worker.alive());
    }
}
