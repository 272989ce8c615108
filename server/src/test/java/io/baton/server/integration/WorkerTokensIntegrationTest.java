package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.TestCluster;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A worker token belongs to one worker, an attempt is reported only by the worker Temporal gave its step to, and a
 * step gets a token of its own attempt that reads as its submitter and writes only that attempt's output.
 */
class WorkerTokensIntegrationTest {
    private static final String STEP_SCRIPT = """
      import json, os, urllib.request, urllib.error
      base = os.environ["BATON_SERVER"] + "/api/v1"
      run, step, attempt = os.environ["BATON_RUN_ID"], os.environ["BATON_STEP"], os.environ["BATON_ATTEMPT"]
      def call(method, path, body=None):
          data = None if body is None else json.dumps(body).encode()
          request = urllib.request.Request(base + path, data=data, method=method, headers={
              "Authorization": "Bearer " + os.environ["BATON_TOKEN"], "Content-Type": "application/json"})
          try:
              with urllib.request.urlopen(request) as answer:
                  return answer.status
          except urllib.error.HTTPError as e:
              return e.code
      print("TOKEN", os.environ["BATON_TOKEN"])
      print("READ_OWN_RUN", call("GET", "/runs/" + run))
      print("CREATE_TOKEN", call("POST", "/tokens", {"kind": "user", "name": "evil"}))
      print("WORKERS_REGISTER", call("PUT", "/workers/evil", {"pools": ["cpu"], "cpus": 1, "memoryBytes": 1,
                                                                "gpus": [], "slots": 1}))
      own = "/runs/%s/steps/%s/attempts/%s/logs" % (run, step, attempt)
      print("OWN_TEXT", call("POST", own, {"seq": 0, "text": "not through the token\\n"}))
      print("OWN_METRICS", call("POST", own, {"seq": 0, "text": "",
                                              "packedMetrics": {"step_metric": "[[0, 0.25, 1700000000000, null]]"}}))
      print("after the token's batch")
      print("OTHER_RUN_LOGS", call("POST", "/runs/%s/steps/train/attempts/1/logs" % os.environ["OTHER_RUN"],
                                   {"seq": 0, "text": "forged\\n"}))
      print("FINISH_OWN", call("POST", "/runs/%s/steps/%s/attempts/%s/finish" % (run, step, attempt),
                               {"status": "SUCCEEDED", "exitCode": 0}))
      """;

    @Test
    void workerAndAttemptTokensAreRefusedOutsideTheirOwnWorkerAndAttempt() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api admin = cluster.admin();
        cluster.startWorker("tok-a", List.of("tok"));
        Api.Answer issued = admin.post("/tokens", Map.of("kind", "worker", "name", "tok-x"));
        assertThat(issued.status()).as(issued.text()).isEqualTo(201);
        Api workerX = admin.withToken(issued.json().get("token").asText());

        // (i) a worker token registers and heartbeats its own worker only
        Map<String, Object> registration =
                Map.of("pools", List.of("tok-none"), "cpus", 1, "memoryBytes", 1 << 30, "gpus", List.of(), "slots", 1);
        assertThat(workerX.send("PUT", "/workers/tok-a", registration).status()).isEqualTo(403);
        assertThat(workerX.post("/workers/tok-a/heartbeat", Map.of("running", List.of(), "draining", true))
                        .status())
                .isEqualTo(403);
        assertThat(admin.get("/workers/tok-a").json().get("status").asText()).isEqualTo("ONLINE");
        assertThat(workerX.send("PUT", "/workers/tok-x", registration).status())
                .as("its own worker")
                .isEqualTo(200);

        // (ii) a worker starts only an attempt of a step Temporal gave it
        String other = Runs.submit(admin, """
        name: not-given
        steps:
          - name: train
            pool: tok-nobody
            command: ["true"]
        """, null, null).get("id").asText();
        String otherAttempts = "/runs/" + other + "/steps/train/attempts";
        Api.Answer notGiven = workerX.post(otherAttempts, Map.of("number", 1, "worker", "tok-x"));
        assertThat(notGiven.status()).as(notGiven.text()).isEqualTo(409);
        assertThat(notGiven.json().get("message").asText()).contains("Temporal did not give");
        assertThat(workerX.post(otherAttempts, Map.of("number", 1, "worker", "tok-a"))
                        .status())
                .isEqualTo(403);
        printCostOfTheStartCheck(cluster, other);

        // (iii) a real step uses its attempt token: reads its run, writes its own logs, nothing else
        String bundle = Runs.uploadBundle(admin, Bundles.of(Map.of("call.py", STEP_SCRIPT)));
        String id =
                Runs.submit(admin, """
        name: uses-its-token
        steps:
          - name: report
            pool: tok
            command: ["python3", "call.py"]
            env: {OTHER_RUN: "%s"}
        """.formatted(other), bundle, null).get("id").asText();
        JsonNode ended = Runs.awaitEnd(admin, id, Duration.ofMinutes(3));
        String logs = Runs.logs(admin, id, "report", "");
        assertThat(ended.get("status").asText()).as(logs).isEqualTo("SUCCEEDED");
        assertThat(logs)
                .contains(
                        "READ_OWN_RUN 200",
                        "CREATE_TOKEN 403",
                        "WORKERS_REGISTER 403",
                        "OWN_TEXT 400",
                        "OWN_METRICS 204",
                        "OTHER_RUN_LOGS 403",
                        "FINISH_OWN 403",
                        "after the token's batch");
        assertThat(admin.get("/runs/" + id + "/metrics").text()).contains("step_metric");
        assertThat(Runs.step(ended, "report")
                        .get("attempts")
                        .get(0)
                        .get("worker")
                        .asText())
                .isEqualTo("tok-a");

        // the attempt ended: its token is refused
        Matcher token = Pattern.compile("TOKEN (bt_\\S+)").matcher(logs);
        assertThat(token.find()).isTrue();
        assertThat(admin.withToken(token.group(1)).get("/runs/" + id).status()).isEqualTo(401);

        // (ii) only the attempt's own worker reports its end
        Api.Answer finish = workerX.post(
                "/runs/" + id + "/steps/report/attempts/1/finish", Map.of("status", "FAILED", "exitCode", 1));
        assertThat(finish.status()).as(finish.text()).isEqualTo(403);
        Api.Answer logsOfOther =
                workerX.post("/runs/" + id + "/steps/report/attempts/1/logs", Map.of("seq", 99, "text", "forged"));
        assertThat(logsOfOther.status()).isEqualTo(403);
        admin.post("/runs/" + other + "/cancel", Map.of());
    }

    /** What the server's check with Temporal costs an attempt start: one DescribeWorkflowExecution, timed here. */
    private static void printCostOfTheStartCheck(TestCluster cluster, String runId) {
        var stub = cluster.temporalClient().getWorkflowServiceStubs().blockingStub();
        var request = DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default")
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId("run-" + runId))
                .build();
        long[] micros = new long[50];
        for (int i = 0; i < micros.length; i++) {
            long start = System.nanoTime();
            stub.describeWorkflowExecution(request);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        java.util.Arrays.sort(micros);
        System.out.printf(
                "DescribeWorkflowExecution on the dev server: median %d us, p90 %d us%n", micros[25], micros[45]);
    }
}
