package io.baton.server.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.server.testing.Api;
import io.baton.server.testing.TestCluster;
import io.baton.server.testing.Wait;
import io.baton.workflows.ApprovalDecision;
import io.baton.workflows.PayloadKeys;
import io.baton.workflows.Payloads;
import io.baton.workflows.PipelineWorkflow;
import io.baton.workflows.RunPlan;
import io.baton.workflows.SealedPayloads;
import io.baton.workflows.TaskQueues;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Baton attacked through Temporal, as a step or any local process could: with Temporal's address and no key. The
 * plan and its env cannot be read, a forged approval changes nothing, and a workflow started again under a run's id
 * with an edited plan runs nothing (plain, sealed with a wrong key, or even sealed with the right key: the record
 * is the truth).
 */
class TemporalAttackIntegrationTest {
    private static final String SECRET = "env-secret-" + UUID.randomUUID();

    private static String spec(Path marker) {
        return """
        name: attacked
        steps:
          - name: prepare
            pool: attack
            command: ["sh", "-c", "echo preparing; sleep 300"]
            env: {API_KEY: "%s"}
          - name: deploy
            pool: attack
            approval: true
            command: ["touch", "%s"]
        """.formatted(SECRET, marker);
    }

    @Test
    void outsiderWithTemporalsAddressCanNeitherReadNorForgeNorReplaceARun() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api api = cluster.admin();
        cluster.startWorker("attack-w", List.of("attack"));
        Path genuine = Files.createTempDirectory("attack").resolve("genuine-ran");
        String id = Runs.submit(api, spec(genuine), null, null).get("id").asText();
        String workflowId = PipelineWorkflow.workflowId(id);
        WorkflowClient outsider = cluster.temporalClient();
        Wait.until("prepare to run and deploy to wait for approval", Duration.ofSeconds(90), () -> {
            JsonNode run = api.get("/runs/" + id).json();
            return Runs.step(run, "prepare").get("status").asText().equals("RUNNING")
                    && Runs.step(run, "deploy").get("status").asText().equals("WAITING");
        });

        // (1) the history holds no plan, env value or command in clear (payload bytes are raw in the history's bytes)
        String history =
                new String(outsider.fetchHistory(workflowId).getHistory().toByteArray(), StandardCharsets.ISO_8859_1);
        assertThat(history)
                .doesNotContain(SECRET)
                .doesNotContain("echo preparing")
                .doesNotContain("genuine-ran");

        // (2) a forged approval of deploy: it stays WAITING, nothing is recorded, its activity is never scheduled
        outsider.newUntypedWorkflowStub(workflowId)
                .signal("decide", new ApprovalDecision("deploy", true, "mallory", "forged"));
        Wait.until(
                "the workflow to take the forged signal",
                Duration.ofSeconds(60),
                () -> events(outsider, workflowId).stream()
                        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
                                && e.getEventId() > signalEventId(outsider, workflowId)));
        JsonNode run = api.get("/runs/" + id).json();
        assertThat(Runs.step(run, "deploy").get("status").asText()).isEqualTo("WAITING");
        assertThat(Runs.step(run, "deploy").get("attempts")).isEmpty();
        assertThat(approvalsRecorded(cluster, id)).isZero();
        assertThat(events(outsider, workflowId).stream()
                        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                        .count())
                .as("only prepare was scheduled")
                .isEqualTo(1);

        // (3) terminate the run's workflow and start it again with an edited plan, three ways
        RunPlan recorded = recordedPlan(cluster, id);
        outsider.newUntypedWorkflowStub(workflowId).terminate("attack");
        Path pwned = genuine.resolveSibling("pwned");
        RunPlan edited = Plans.withCommand(recorded, "prepare", List.of("touch", pwned.toString()));

        startAs(cluster, Payloads.converter(), workflowId, edited);
        awaitWorkflowTaskFailure(outsider, workflowId);
        assertRunsNothing(cluster, outsider, workflowId, id, pwned);

        outsider.newUntypedWorkflowStub(workflowId).terminate("attack, again");
        DataConverter wrongKey =
                Payloads.sealed(new SealedPayloads(PayloadKeys.parse(PayloadKeys.generate("test1")), false));
        startAs(cluster, wrongKey, workflowId, edited);
        awaitWorkflowTaskFailure(outsider, workflowId);
        assertRunsNothing(cluster, outsider, workflowId, id, pwned);

        // whoever holds the key (a server, a worker) still cannot run a plan that is not the run's record
        outsider.newUntypedWorkflowStub(workflowId).terminate("attack by a key holder");
        DataConverter rightKey = Payloads.sealed(new SealedPayloads(cluster.payloadKeys(), false));
        startAs(cluster, rightKey, workflowId, edited);
        Wait.until(
                "the edited workflow to fail",
                Duration.ofSeconds(60),
                () -> outsider.newUntypedWorkflowStub(workflowId)
                                .describe()
                                .getWorkflowExecutionInfo()
                                .getStatus()
                        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_FAILED);
        assertRunsNothing(cluster, outsider, workflowId, id, pwned);
        assertThat(api.get("/runs/" + id + "/record").text())
                .contains("echo preparing")
                .doesNotContain("pwned");
        api.post("/runs/" + id + "/cancel", java.util.Map.of());
    }

    /** The Temporal UI's codec route opens sealed payloads for a signed-in user only. */
    @Test
    void codecRouteOpensSealedPayloadsForSignedInUsersOnly() throws Exception {
        TestCluster cluster = TestCluster.get();
        Api api = cluster.admin();
        String id = Runs.submit(api, """
        name: decoded
        steps:
          - name: only
            pool: codec-nobody
            command: ["echo", "visible-to-signed-in-users"]
        """, null, null).get("id").asText();
        WorkflowClient outsider = cluster.temporalClient();
        String workflowId = PipelineWorkflow.workflowId(id);
        Wait.until(
                "the run's workflow to start",
                Duration.ofSeconds(60),
                () -> !events(outsider, workflowId).isEmpty());
        var started = events(outsider, workflowId)
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getInput();
        String body = com.google.protobuf.util.JsonFormat.printer().print(started);
        assertThat(new String(started.toByteArray(), StandardCharsets.ISO_8859_1))
                .doesNotContain("visible-to-signed-in-users");

        Api.Answer decoded = api.postRaw(
                "/temporal/codec/decode",
                "application/json",
                body.getBytes(StandardCharsets.UTF_8),
                java.util.Map.of("X-Namespace", "default"));
        assertThat(decoded.status()).as(decoded.text()).isEqualTo(200);
        var opened = io.temporal.api.common.v1.Payloads.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(decoded.text(), opened);
        assertThat(opened.getPayloads(0).getData().toStringUtf8()).contains("visible-to-signed-in-users");
        assertThat(decoded.header("Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:8233");

        // a signed-in user opens only the payloads of runs they may read; others stay sealed
        Api stranger = api.user("codec-outsider");
        Api.Answer sealed = stranger.postRaw(
                "/temporal/codec/decode",
                "application/json",
                body.getBytes(StandardCharsets.UTF_8),
                java.util.Map.of("X-Namespace", "default"));
        assertThat(sealed.status()).isEqualTo(200);
        var stillSealed = io.temporal.api.common.v1.Payloads.newBuilder();
        com.google.protobuf.util.JsonFormat.parser().merge(sealed.text(), stillSealed);
        assertThat(stillSealed.getPayloads(0).getData().toStringUtf8()).doesNotContain("visible-to-signed-in-users");
        api.grant("tests", "codec-outsider", "viewer");
        Api.Answer member = api.user("codec-outsider")
                .postRaw(
                        "/temporal/codec/decode",
                        "application/json",
                        body.getBytes(StandardCharsets.UTF_8),
                        java.util.Map.of("X-Namespace", "default"));
        assertThat(member.text()).isEqualTo(decoded.text());

        assertThat(cluster.anonymous()
                        .postRaw(
                                "/temporal/codec/decode",
                                "application/json",
                                body.getBytes(StandardCharsets.UTF_8),
                                java.util.Map.of())
                        .status())
                .isEqualTo(401);
        Api.Answer preflight = cluster.anonymous().send("OPTIONS", "/temporal/codec/decode", null);
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Headers")).contains("Authorization");

        Api.Answer encoded = api.postRaw(
                "/temporal/codec/encode",
                "application/json",
                decoded.text().getBytes(StandardCharsets.UTF_8),
                java.util.Map.of());
        assertThat(encoded.status()).isEqualTo(200);
        assertThat(encoded.text())
                .doesNotContain(java.util.Base64.getEncoder()
                        .encodeToString(opened.getPayloads(0).getData().toByteArray())
                        .substring(0, 16));
        api.post("/runs/" + id + "/cancel", java.util.Map.of());
    }

    private static void assertRunsNothing(
            TestCluster cluster, WorkflowClient outsider, String workflowId, String id, Path pwned) throws Exception {
        assertThat(events(outsider, workflowId))
                .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
        JsonNode run = cluster.admin().get("/runs/" + id).json();
        assertThat(Runs.step(run, "prepare").get("attempts"))
                .as("prepare's attempts")
                .hasSize(1);
        assertThat(Runs.step(run, "deploy").get("attempts"))
                .as("deploy's attempts")
                .isEmpty();
        assertThat(pwned).doesNotExist();
    }

    private static void startAs(TestCluster cluster, DataConverter converter, String workflowId, RunPlan plan) {
        WorkflowClient client = WorkflowClient.newInstance(
                cluster.temporalClient().getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder()
                        .setNamespace("default")
                        .setDataConverter(converter)
                        .build());
        WorkflowStub stub = client.newUntypedWorkflowStub(
                "PipelineWorkflow",
                WorkflowOptions.newBuilder()
                        .setWorkflowId(workflowId)
                        .setTaskQueue(TaskQueues.CONTROL)
                        .build());
        stub.start(plan);
    }

    private static void awaitWorkflowTaskFailure(WorkflowClient outsider, String workflowId) {
        Wait.until(
                "the server's workflow worker to refuse the start",
                Duration.ofSeconds(60),
                () -> events(outsider, workflowId).stream()
                        .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED));
    }

    private static List<HistoryEvent> events(WorkflowClient client, String workflowId) {
        return client.fetchHistory(workflowId).getHistory().getEventsList();
    }

    private static long signalEventId(WorkflowClient client, String workflowId) {
        return events(client, workflowId).stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
                .mapToLong(HistoryEvent::getEventId)
                .max()
                .orElse(Long.MAX_VALUE);
    }

    private static Connection database(TestCluster cluster) throws Exception {
        return DriverManager.getConnection(
                cluster.database().url(),
                cluster.database().user(),
                cluster.database().password());
    }

    private static int approvalsRecorded(TestCluster cluster, String runId) throws Exception {
        try (Connection c = database(cluster);
                PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM approvals WHERE run_id = ?")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static RunPlan recordedPlan(TestCluster cluster, String runId) throws Exception {
        try (Connection c = database(cluster);
                PreparedStatement q = c.prepareStatement("SELECT plan FROM runs WHERE id = ?")) {
            q.setString(1, runId);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return Plans.MAPPER.readValue(rs.getString(1), RunPlan.class);
            }
        }
    }

    /** Edits a recorded plan, as an attacker would. */
    private static final class Plans {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .configure(
                                com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                                false);

        static RunPlan withCommand(RunPlan plan, String step, List<String> command) throws Exception {
            com.fasterxml.jackson.databind.node.ObjectNode tree = MAPPER.valueToTree(plan);
            for (JsonNode s : tree.get("steps")) {
                if (s.get("name").asText().equals(step)) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) s).set("command", MAPPER.valueToTree(command));
                }
            }
            return MAPPER.treeToValue(tree, RunPlan.class);
        }
    }
}
