package io.baton.server.attempts;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.pipeline.SpecParser;
import io.baton.server.auth.Caller;
import io.baton.server.core.Json;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.runs.RunPlanner;
import io.baton.server.testing.BothDatabases;
import io.baton.workflows.ApprovalDecision;
import io.baton.workflows.PayloadKeys;
import io.baton.workflows.Payloads;
import io.baton.workflows.PipelineWorkflow;
import io.baton.workflows.RunPlan;
import io.baton.workflows.SealedPayloads;
import io.baton.workflows.StepPlan;
import io.temporal.common.converter.DataConverter;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a run's workflow asks the record: is this plan the run's, and what was decided about a step. */
class WorkflowRecordChecksTest {
    private static final String SPEC = """
      name: checked
      parameters:
        - {name: lr, type: float, default: 0.1}
        - {name: depth, type: integer, default: 3}
      steps:
        - name: train
          command: ["python3", "train.py", "--lr", "{parameters.lr}"]
          env: {API_KEY: "value"}
          resources: {cpus: 1, memory: 3Gi}
          timeout: 2h
          matrix: {seed: [1, 2]}
      """;

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void planAsTemporalDeliversItIsTheRecordedOneAndAnEditedOneIsNot(
            String name, String url, String user, String password) {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        RunPlan plan = RunPlanner.plan(
                runId,
                "p",
                SpecParser.parse(SPEC),
                null,
                3,
                new Caller("t1", "alice", Caller.USER, false),
                Map.of("lr", 0.1, "depth", 4),
                sha -> OptionalLong.empty(),
                null,
                Map.of());
        insert(jdbi, runId, Json.write(plan), "RUNNING");
        WorkflowRecordChecks checks = new WorkflowRecordChecks(jdbi);
        String workflowId = PipelineWorkflow.workflowId(runId);

        assertThat(checks.planRecorded(workflowId, throughTemporal(plan))).isTrue();
        RunPlan delivered = throughTemporal(plan);
        for (int i = 0; i < 1000; i++) {
            checks.planRecorded(workflowId, delivered); // warm-up
        }
        long start = System.nanoTime();
        for (int i = 0; i < 500; i++) {
            checks.planRecorded(workflowId, delivered);
        }
        System.out.printf("%s: the plan check of a 2-step run: %.0f us%n", name, (System.nanoTime() - start) / 500e3);

        StepPlan first = plan.steps().get(0);
        List<StepPlan> edited = List.of(
                Json.read(Json.write(first).replace("train.py", "evil.py"), StepPlan.class),
                plan.steps().get(1));
        RunPlan editedPlan = new RunPlan(
                runId,
                plan.project(),
                plan.pipeline(),
                plan.bundle(),
                plan.priority(),
                plan.createdBy(),
                plan.parameters(),
                edited,
                plan.reused());
        assertThat(checks.planRecorded(workflowId, throughTemporal(editedPlan))).isFalse();
        assertThat(checks.planRecorded(PipelineWorkflow.workflowId("another-run"), throughTemporal(plan)))
                .isFalse();

        String ended = UUID.randomUUID().toString();
        RunPlan endedPlan = RunPlanner.plan(
                ended,
                "p",
                SpecParser.parse(SPEC),
                null,
                3,
                new Caller("t1", "alice", Caller.USER, false),
                Map.of("lr", 0.5, "depth", 3),
                sha -> OptionalLong.empty(),
                null,
                Map.of());
        insert(jdbi, ended, Json.write(endedPlan), "FAILED");
        assertThat(checks.planRecorded(PipelineWorkflow.workflowId(ended), throughTemporal(endedPlan)))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void approvalIsReadFromItsRow(String name, String url, String user, String password) {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "deploy");
        WorkflowRecordChecks checks = new WorkflowRecordChecks(jdbi);
        assertThat(checks.approvalRecorded(runId, "deploy")).isNull();
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO approvals (run_id, step, approved, decided_by, note, decided_at)"
                        + " VALUES (?, 'deploy', FALSE, 'bob', 'no', 1)",
                runId));
        assertThat(checks.approvalRecorded(runId, "deploy"))
                .isEqualTo(new ApprovalDecision("deploy", false, "bob", "no"));
    }

    /** The plan as the workflow receives it: sealed, sent and opened by Temporal's converter. */
    private static RunPlan throughTemporal(RunPlan plan) {
        DataConverter converter =
                Payloads.sealed(new SealedPayloads(PayloadKeys.parse(PayloadKeys.generate("k")), false));
        return converter.fromPayload(converter.toPayload(plan).orElseThrow(), RunPlan.class, RunPlan.class);
    }

    private static void insert(Jdbi jdbi, String runId, String plan, String status) {
        jdbi.useExtension(
                RunDao.class,
                dao -> dao.insert(new RunRow(
                        runId,
                        "p",
                        "checked",
                        null,
                        status,
                        PipelineWorkflow.workflowId(runId),
                        null,
                        SPEC,
                        "0".repeat(64),
                        "{}",
                        plan,
                        3,
                        "alice",
                        0L,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null)));
    }
}
