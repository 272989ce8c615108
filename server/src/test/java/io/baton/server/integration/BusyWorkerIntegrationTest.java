package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.ChildProcess;
import io.baton.server.testing.TestCluster;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
      JsonNode run = Runs.awaitEnd(api, id, RUN_TIMEOUT);

      assertThat(run.get("status").asText()).as(run.path("message").asText()).isEqualTo("SUCCEEDED");
      assertThat(run.get("steps")).hasSize(60);
      for (JsonNode step : run.get("steps")) {
        assertThat(step.get("attempts")).as(step.get("name").asText()).hasSize(1);
        assertThat(step.get("attempts").get(0).get("number").asInt()).as(step.get("name").asText()).isEqualTo(1);
      }
      String name = run.get("steps").get(0).get("name").asText();
      assertThat(Runs.logs(api, id, name, "?attempt=1")).contains("attempt=1");
      String log = Files.readString(worker.log());
      assertThat(log).doesNotContain("WorkerFull").doesNotContain("is full; the step goes to another worker");
      // the shapes did collide (or the test proved nothing): a step waited on the worker and said why
      assertThat(log).contains("waiting for room on worker busy: ");
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
    Api worker = new Api(cluster.apiBase(), admin.post("/tokens", Map.of("kind", "worker", "name", "reasoner"))
        .json().get("token").asText());
    String path = "/runs/" + id + "/steps/waits/attempts/1/waiting";
    try {
      String reason = "waiting for room on worker reasoner: 2 of 2 slots in use";
      assertThat(worker.post(path, Map.of("worker", "reasoner", "reason", reason)).status()).isEqualTo(204);
      JsonNode step = Runs.step(admin.get("/runs/" + id).json(), "waits");
      assertThat(step.get("status").asText()).isEqualTo("PENDING");
      assertThat(step.get("reason").asText()).isEqualTo(reason);

      assertThat(worker.post(path, Map.of("worker", "reasoner")).status()).isEqualTo(400);
      assertThat(cluster.anonymous().post(path, Map.of("worker", "reasoner", "reason", reason)).status())
          .isEqualTo(401);
    } finally {
      admin.post("/runs/" + id + "/cancel", Map.of());
    }
  }
}
