package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.Processes;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No run is lost when anything is killed: a worker in the middle of a step, the Temporal dev server. Two workers
 * serve the pool {@code faults} so that a step lost with one is retried on the other.
 */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
@ClusterExtension.Worker(name = "fa", pools = "faults")
@ClusterExtension.Worker(name = "fb", pools = "faults")
class FaultsIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    /** The worker running the first attempt of a step, once it runs. */
    private static String firstAttemptWorker(String runId, String step) {
        return Wait.until("step " + step + " to run", Duration.ofSeconds(60), () -> {
            JsonNode attempts =
                    Runs.step(api.get("/runs/" + runId).json(), step).get("attempts");
            return attempts.size() == 1 ? attempts.get(0).get("worker").asText() : null;
        });
    }

    @Test
    void workerKilledMidStepLeavesNoProcessAndTheStepIsRetriedOnAnotherWorker() throws Exception {
        String id = Runs.submit(api, """
        name: survivor
        steps:
          - name: long
            pool: faults
            heartbeatTimeout: 3s
            command: ["sh", "-c", "sh -c 'sleep 300' & echo attempt $BATON_ATTEMPT; sleep 4; echo done"]
        """, null, null).get("id").asText();
        String victim = firstAttemptWorker(id, "long");
        Wait.until(
                "the first attempt's processes",
                Duration.ofSeconds(30),
                () -> Processes.withEnvironment("BATON_RUN_ID=" + id, "BATON_ATTEMPT=1")
                                .size()
                        >= 3);

        cluster.killWorker(victim);

        Wait.until(
                "no process of the first attempt",
                Duration.ofSeconds(10),
                () -> Processes.withEnvironment("BATON_RUN_ID=" + id, "BATON_ATTEMPT=1")
                        .isEmpty());
        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
        cluster.startWorker(victim, List.of("faults"));

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode attempts = Runs.step(run, "long").get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("status").asText()).isEqualTo("LOST");
        assertThat(attempts.get(0).get("worker").asText()).isEqualTo(victim);
        assertThat(attempts.get(1).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(attempts.get(1).get("worker").asText()).isNotEqualTo(victim).isIn("fa", "fb");
        assertThat(Runs.logs(api, id, "long", "")).contains("attempt 2").contains("done");
        assertThat(Processes.withEnvironment("BATON_RUN_ID=" + id)).isEmpty();
    }

    @Test
    void retryOfAStepLostWithItsWorkerContinuesFromItsLastCheckpoint() throws Exception {
        String id = Runs.submit(api, """
        name: checkpointed
        steps:
          - name: train
            pool: faults
            heartbeatTimeout: 3s
            command:
              - python3
              - -c
              - |
                import json, os, time
                ck = os.path.join(os.environ["BATON_CHECKPOINT_DIR"], "epoch")
                start = int(open(ck).read()) if os.path.exists(ck) else 0
                print(json.dumps({"resumed_from": start, "attempt": int(os.environ["BATON_ATTEMPT"])}), flush=True)
                for epoch in range(start + 1, 15):
                    time.sleep(1)
                    with open(ck + ".tmp", "w") as f:
                        f.write(str(epoch))
                    os.replace(ck + ".tmp", ck)
                    print(json.dumps({"epoch": epoch, "loss": 1.0 / epoch}), flush=True)
        """, null, null).get("id").asText();
        String victim = firstAttemptWorker(id, "train");
        // Kill it well after epoch 3: a checkpoint reaches Temporal with the next heartbeat (at most every 2 s) after
        // its upload (at most every second here), and the test sees metrics up to a second late.
        Wait.until("epoch 8 of the first attempt", Duration.ofSeconds(60), () -> {
            JsonNode run = api.get("/runs/" + id).json();
            return run.get("metrics").has("loss")
                    && run.get("metrics").get("loss").asDouble() <= 1.0 / 8;
        });

        cluster.killWorker(victim);
        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
        cluster.startWorker(victim, List.of("faults"));

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode attempts = Runs.step(run, "train").get("attempts");
        assertThat(attempts.findValuesAsText("status")).containsExactly("LOST", "SUCCEEDED");
        JsonNode series = api.get("/runs/" + id + "/metrics").json().get("series");
        double resumedFrom = -1;
        double firstEpochOfRetry = -1;
        for (JsonNode s : series) {
            if (s.get("attempt").asInt() == 2 && s.get("name").asText().equals("resumed_from")) {
                resumedFrom = s.get("points").get(0).get("value").asDouble();
            }
            if (s.get("attempt").asInt() == 2 && s.get("name").asText().equals("loss")) {
                firstEpochOfRetry = s.get("points").get(0).get("x").get("epoch").asDouble();
            }
        }
        assertThat(resumedFrom)
                .as("the epoch the retry found in its checkpoint")
                .isGreaterThanOrEqualTo(3);
        assertThat(firstEpochOfRetry).isEqualTo(resumedFrom + 1);
    }

    @Test
    void temporalKilledAndStartedAgainOnTheSameFileTheRunCompletes() throws Exception {
        String id = Runs.submit(api, """
        name: outlives-temporal
        steps:
          - name: first
            command: ["sh", "-c", "sleep 3; echo first"]
          - name: second
            needs: [first]
            command: ["sh", "-c", "echo second"]
        """, null, null).get("id").asText();
        firstAttemptWorker(id, "first");

        cluster.restartTemporal();

        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Runs.step(run, "first").get("attempts").size()).isGreaterThanOrEqualTo(1);
        assertThat(Runs.logs(api, id, "second", "")).isEqualTo("second\n");
    }

    @Test
    void databaseRestartedMidRunTheRunCompletesWithNothingWrittenTwice() throws Exception {
        String id = Runs.submit(api, """
        name: outlives-mariadb
        steps:
          - name: first
            command: ["sh", "-c", "echo before; sleep 4; echo after"]
          - name: second
            needs: [first]
            command: ["sh", "-c", "echo second"]
        """, null, null).get("id").asText();
        firstAttemptWorker(id, "first");

        org.junit.jupiter.api.Assumptions.assumeTrue(
                cluster.restartDatabase(),
                "this suite's database cannot be restarted here (not the local MariaDB that ./baton test runs)");

        JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Runs.step(run, "first").get("attempts")).hasSize(1);
        assertThat(Runs.step(run, "second").get("attempts")).hasSize(1);
        String log = Runs.logs(api, id, "first", "");
        assertThat(log).isEqualTo("before\nafter\n");
    }
}
