package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ChildProcess;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A busy worker costs a step nothing: a step whose poll found room that another shape's step took meanwhile waits
 * for it on that worker (saying why), instead of going back to its pool at the price of one of its attempts.
 */
class BusyWorkerIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(240);

    @Test
    void sixtyIndependentStepsOfTwoShapesOnATwoSlotWorkerEachRunOnceAsAttemptOne() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api api = cluster.admin();
        // 30 steps of one slot and 30 of two, no retries: every poll of both shapes finds a step waiting
        String values = IntStream.rangeClosed(1, 30).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String spec = """
        name: busy-worker
        steps:
          - name: small
            pool: busy
            matrix: {i: [%1$s]}
            resources: {cpus: 1}
            retries: 0
            command: ["sh", "-c", "echo attempt=$BATON_ATTEMPT"]
          - name: big
            pool: busy
            matrix: {i: [%1$s]}
            resources: {cpus: 2}
            retries: 0
            command: ["sh", "-c", "echo attempt=$BATON_ATTEMPT"]
        """.formatted(values);
        // submitted before the worker starts: its two pollers start at once, both on a full queue
        String id = Runs.submit(api, spec, null, Map.of()).get("id").asText();
        ChildProcess worker = cluster.startWorker("busy", List.of("busy"), Map.of("BATON_SLOTS", "2"));
        try {
            // watched as a user would: a step waiting for room says so, and its run is not shown QUEUED while others
            // run
            Set<String> reasons = new TreeSet<>();
            List<String> queuedWhileRunning = new ArrayList<>();
            JsonNode run = Wait.until("run " + id + " to end", RUN_TIMEOUT, () -> {
                JsonNode now = api.get("/runs/" + id).json();
                boolean running = false;
                for (JsonNode step : now.get("steps")) {
                    running |= step.get("status").asText().equals("RUNNING");
                    if (step.path("reason").asText().startsWith("waiting for room")) {
                        reasons.add(step.get("reason").asText());
                    }
                }
                if (running && now.get("status").asText().equals("QUEUED")) {
                    queuedWhileRunning.add(now.toString());
                }
                return List.of("SUCCEEDED", "FAILED", "CANCELLED")
                                .contains(now.get("status").asText())
                        ? now
                        : null;
            });
            assertThat(queuedWhileRunning).isEmpty();

            assertThat(run.get("status").asText())
                    .as(run.path("message").asText())
                    .isEqualTo("SUCCEEDED");
            assertThat(run.get("steps")).hasSize(60);
            for (JsonNode step : run.get("steps")) {
                assertThat(step.get("attempts")).as(step.get("name").asText()).hasSize(1);
                assertThat(step.get("attempts").get(0).get("number").asInt())
                        .as(step.get("name").asText())
                        .isEqualTo(1);
            }
            String name = run.get("steps").get(0).get("name").asText();
            assertThat(Runs.logs(api, id, name, "?attempt=1")).contains("attempt=1");
            String log = Files.readString(worker.log());
            assertThat(log)
                    .doesNotContain("WorkerFull")
                    .doesNotContain("is full; the step goes to another worker")
                    .doesNotContain(
                            "\tat "); // no stack trace: a hand-back logged Temporal's for each (704 lines before)
            // the shapes did collide (or the test proved nothing): steps waited on the worker, and said why (about 20
            // waits of a few hundred milliseconds each, seen here every 100 ms)
            assertThat(log).contains("waiting for room on worker busy: ");
            assertThat(reasons)
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r).matches("waiting for room on worker busy: [12] of 2 slots in use"));
        } finally {
            worker.stop(Duration.ofSeconds(10));
        }
    }

    @Test
    void aWaitingStepSaysWhyUntilItsAttemptStarts() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api admin = cluster.admin();
        // a pool no worker serves: the step stays PENDING, as it does while its worker has no room for it
        JsonNode run = Runs.submit(admin, """
        name: busy-reason
        steps:
          - name: waits
            pool: nobody-serves-this
            command: ["true"]
        """, null, Map.of());
        String id = run.get("id").asText();
        Api worker = new Api(
                cluster.apiBase(),
                admin.post("/tokens", Map.of("kind", "worker", "name", "reasoner"))
                        .json()
                        .get("token")
                        .asText());
        String path = "/runs/" + id + "/steps/waits/attempts/1/waiting";
        try {
            String reason = "waiting for room on worker reasoner: 2 of 2 slots in use";
            // a worker says so only for a step Temporal gave it, and only for itself; an admin may speak for any worker
            assertThat(worker.post(path, Map.of("worker", "reasoner", "reason", reason))
                            .status())
                    .isEqualTo(409);
            assertThat(worker.post(path, Map.of("worker", "busy", "reason", reason))
                            .status())
                    .isEqualTo(403);
            assertThat(admin.post(path, Map.of("worker", "reasoner", "reason", reason))
                            .status())
                    .isEqualTo(204);
            JsonNode step = Runs.step(admin.get("/runs/" + id).json(), "waits");
            assertThat(step.get("status").asText()).isEqualTo("PENDING");
            assertThat(step.get("reason").asText()).isEqualTo(reason);

            assertThat(admin.post(path, Map.of("worker", "reasoner")).status()).isEqualTo(400);
            assertThat(cluster.anonymous()
                            .post(path, Map.of("worker", "reasoner", "reason", reason))
                            .status())
                    .isEqualTo(401);
        } finally {
            admin.post("/runs/" + id + "/cancel", Map.of());
        }
    }
}
