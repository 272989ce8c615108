package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.baton.server.testing.Api;
import io.baton.server.testing.Bundles;
import io.baton.server.testing.ClusterExtension;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import io.baton.workflows.SearchAttributes;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowExecutionDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pipelines through the real parts: Temporal dev server, MariaDB, the server process and a worker process. */
@ExtendWith(ClusterExtension.class)
@ClusterExtension.Worker(name = "w1", pools = "cpu")
class PipelineIntegrationTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static TestCluster cluster; // set by ClusterExtension, as api
    private static Api api;

    @Test
    void twoStepPipelineFromABundleSucceedsAndBothStepsLogsComeBack() throws IOException {
        String bundle = Runs.uploadBundle(
                api,
                Bundles.of(
                        Map.of(
                                "prepare.sh", "echo \"prepared for $1\"\necho to-stderr >&2\n",
                                "train.py",
                                        "import json\nprint('training')\nprint(json.dumps({'epoch': 1, 'accuracy': 0.93}))\n")));
        String spec = """
        name: two-steps
        parameters:
          - {name: who, type: string, default: nobody}
        steps:
          - name: prepare
            command: sh prepare.sh {parameters.who}
          - name: train
            needs: [prepare]
            command: ["python3", "train.py"]
        """;
        JsonNode submitted = Runs.submit(api, spec, bundle, Map.of("who", "iris"));
        assertThat(submitted.get("status").asText()).isIn("QUEUED", "RUNNING");

        JsonNode run = Runs.awaitEnd(api, submitted.get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("finishedAt").isNull()).isFalse();
        for (String name : List.of("prepare", "train")) {
            JsonNode step = Runs.step(run, name);
            assertThat(step.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(step.get("attempts")).hasSize(1);
            JsonNode attempt = step.get("attempts").get(0);
            assertThat(attempt.get("worker").asText()).isIn("w1", "gpu1"); // the workers of pool cpu
            assertThat(attempt.get("exitCode").asInt()).isZero();
            assertThat(attempt.get("status").asText()).isEqualTo("SUCCEEDED");
        }
        String id = run.get("id").asText();
        // each attempt's workspace is deleted once it ended (off the step's path, so shortly after)
        Wait.until("the run's workspaces to be deleted", Duration.ofSeconds(20), () -> {
            for (String worker : List.of("w1", "gpu1")) {
                Path workspaces =
                        cluster.workerDir(worker).resolve("workspaces").resolve(id);
                if (Files.isDirectory(workspaces)) {
                    try (var left = Files.list(workspaces)) {
                        if (left.findAny().isPresent()) {
                            return false;
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            return true;
        });
        assertThat(Runs.logs(api, id, "prepare", ""))
                .contains("prepared for iris")
                .contains("to-stderr");
        assertThat(Runs.logs(api, id, "train", "")).contains("training").contains("\"accuracy\": 0.93");
        assertThat(run.get("metrics").get("accuracy").asDouble()).isEqualTo(0.93);
        JsonNode series = api.get("/runs/" + id + "/metrics").json().get("series");
        assertThat(series).anySatisfy(s -> {
            assertThat(s.get("name").asText()).isEqualTo("accuracy");
            assertThat(s.get("points").get(0).get("x").get("epoch").asInt()).isEqualTo(1);
        });
    }

    @Test
    void stepExitingWithThreeFailsTheRunAndRecordsTheExitCode() {
        String spec = """
        name: exit-three
        steps:
          - name: broken
            command: ["sh", "-c", "echo about to fail; exit 3"]
          - name: after
            needs: [broken]
            command: ["true"]
        """;
        JsonNode run =
                Runs.awaitEnd(api, Runs.submit(api, spec, null, null).get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("FAILED");
        JsonNode broken = Runs.step(run, "broken");
        assertThat(broken.get("status").asText()).isEqualTo("FAILED");
        assertThat(broken.get("exitCode").asInt()).isEqualTo(3);
        assertThat(broken.get("attempts")).hasSize(1);
        assertThat(broken.get("attempts").get(0).get("exitCode").asInt()).isEqualTo(3);
        assertThat(broken.get("attempts").get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(Runs.step(run, "after").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(Runs.logs(api, run.get("id").asText(), "broken", "")).contains("about to fail");
    }

    @Test
    void stepFailingOnceThenSucceedingShowsTwoAttempts() {
        String spec = """
        name: flaky
        steps:
          - name: flaky
            command: ["sh", "-c", "echo attempt $BATON_ATTEMPT; test $BATON_ATTEMPT -ge 2"]
            retries: {retries: 2, backoff: 200ms}
        """;
        JsonNode run =
                Runs.awaitEnd(api, Runs.submit(api, spec, null, null).get("id").asText(), RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode attempts = Runs.step(run, "flaky").get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("number").asInt()).isEqualTo(1);
        assertThat(attempts.get(0).get("status").asText()).isEqualTo("FAILED");
        assertThat(attempts.get(0).get("exitCode").asInt()).isEqualTo(1);
        assertThat(attempts.get(1).get("number").asInt()).isEqualTo(2);
        assertThat(attempts.get(1).get("status").asText()).isEqualTo("SUCCEEDED");
        String id = run.get("id").asText();
        assertThat(Runs.logs(api, id, "flaky", "?attempt=1"))
                .contains("attempt 1")
                .doesNotContain("attempt 2");
        assertThat(Runs.logs(api, id, "flaky", "")).contains("attempt 2");
    }

    @Test
    void runsWorkflowIsFoundThroughTheTemporalClientCompletedWithItsSearchAttributes() {
        String spec = """
        name: findable
        steps:
          - name: only
            command: ["true"]
        """;
        JsonNode run =
                Runs.awaitEnd(api, Runs.submit(api, spec, null, null).get("id").asText(), RUN_TIMEOUT);
        String workflowId = run.get("workflowId").asText();
        assertThat(run.get("temporalUiUrl").asText()).endsWith("/namespaces/default/workflows/" + workflowId);

        WorkflowExecutionDescription description =
                Wait.until("the workflow to be closed", Duration.ofSeconds(20), () -> {
                    WorkflowExecutionDescription d = cluster.temporalClient()
                            .newUntypedWorkflowStub(workflowId)
                            .describe();
                    return d.getWorkflowExecutionInfo().getStatus()
                                    == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                            ? null
                            : d;
                });
        assertThat(description.getWorkflowExecutionInfo().getStatus())
                .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
        assertThat(description.getTypedSearchAttributes().get(SearchAttributes.PROJECT))
                .isEqualTo("tests");
        assertThat(description.getTypedSearchAttributes().get(SearchAttributes.PIPELINE))
                .isEqualTo("findable");

        // eager start: the server's own workflow worker got the first workflow task in the answer to the start, in the
        // same write as the start: the task's scheduling and start are written together (consecutive task ids,
        // microseconds apart). Through matching, a poll starts it in a later write, milliseconds later.
        var events =
                cluster.temporalClient().fetchHistory(workflowId).getHistory().getEventsList();
        assertThat(events.get(1).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED);
        assertThat(events.get(2).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED);
        long apartNanos = Durations.toNanos(
                Timestamps.between(events.get(1).getEventTime(), events.get(2).getEventTime()));
        boolean oneWrite = events.get(2).getTaskId() == events.get(1).getTaskId() + 1;
        assertThat(oneWrite || apartNanos < 1_000_000L)
                .as(
                        "first workflow task started %d ns after it was scheduled, task ids %d and %d",
                        apartNanos, events.get(1).getTaskId(), events.get(2).getTaskId())
                .isTrue();

        // the successful attempt's report recorded the step's end: besides the check of its plan against the record
        // (once per run, with its version marker), the workflow's only write is the run's end
        assertThat(Runs.step(run, "only").get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(Runs.step(run, "only").get("finishedAt").isNull()).isFalse();
        assertThat(events)
                .filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
                .extracting(e -> e.getMarkerRecordedEventAttributes().getMarkerName())
                .as("markers recorded")
                .containsExactly("Version", "LocalActivity", "LocalActivity");
    }

    @Test
    void parameterValuesReachTheProcessAsLiteralArgumentsNeverThroughAShell() {
        String hostile = "$(touch pwned1); `touch pwned2`; echo hi > pwned3\nsecond line";
        String spec = """
        name: literal
        parameters:
          - {name: text, type: string}
        steps:
          - name: echo
            command: ["python3", "-c", "import json, os, sys; print(json.dumps([sys.argv[1], os.environ['BATON_PARAM_TEXT'], sorted(p for p in os.listdir('.') if p.startswith('pwned'))]))", "{parameters.text}"]
        """;
        JsonNode run = Runs.awaitEnd(
                api,
                Runs.submit(api, spec, null, Map.of("text", hostile)).get("id").asText(),
                RUN_TIMEOUT);

        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        String expected = Api.json(List.of(hostile, hostile, List.of())).replace(",", ", ");
        assertThat(Runs.logs(api, run.get("id").asText(), "echo", "")).contains(expected);
    }

    @Test
    void cancellingARunEndsEveryProcessOfItsStepsAndRecordsCancelled() {
        String spec = """
        name: long
        steps:
          - name: sleeper
            command: ["sh", "-c", "sh -c 'sleep 600 & sleep 601' & sleep 602"]
          - name: never
            needs: [sleeper]
            command: ["true"]
        """;
        String id = Runs.submit(api, spec, null, null).get("id").asText();
        // the step, its child and the child's own child (a grandchild of the step)
        Wait.until(
                "the step's processes to run",
                Duration.ofSeconds(60),
                () -> stepProcesses(id).size() >= 4);

        Api.Answer cancel = api.post("/runs/" + id + "/cancel", Map.of());
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(202);

        JsonNode run = Runs.awaitEnd(api, id, Duration.ofSeconds(60));
        assertThat(run.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(stepProcesses(id)).isEmpty();
        assertThat(Runs.step(run, "sleeper").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(Runs.step(run, "sleeper")
                        .get("attempts")
                        .get(0)
                        .get("status")
                        .asText())
                .isEqualTo("CANCELLED");
        assertThat(Runs.step(run, "never").get("status").asText()).isEqualTo("CANCELLED");
        assertThat(api.post("/runs/" + id + "/cancel", Map.of()).status()).isEqualTo(409);
    }

    /** Live processes whose environment carries this run's id: the step's processes and their children. */
    static List<Long> stepProcesses(String runId) {
        return io.baton.server.testing.Processes.withEnvironment("BATON_RUN_ID=" + runId);
    }
}
