package io.baton.workflows;

import static io.baton.workflows.Plans.artifact;
import static io.baton.workflows.Plans.cached;
import static io.baton.workflows.Plans.input;
import static io.baton.workflows.Plans.needingApproval;
import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.step;
import static io.baton.workflows.Plans.withInputs;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the histories that {@link PipelineWorkflowReplayTest} replays. Not a test (surefire does not pick its name
 * up) and guarded by a property; run it by hand when the workflow changes on purpose, and commit its output:
 * {@code mvn -o -pl workflows test -Dtest=PipelineHistoryRecorder -Dbaton.recordHistories=true}.
 * Keep the histories of released versions: they are what running workflows look like.
 */
@EnabledIfSystemProperty(named = "baton.recordHistories", matches = "true")
class PipelineHistoryRecorder extends PipelineWorkflowHarness {
    private static final Path HISTORIES = Path.of("src/test/resources/histories");

    @Test
    void twoStepsSucceeded() throws IOException {
        RunPlan plan = plan("two-steps-succeeded", step("prepare"), step("train", "prepare"));
        assertThat(PipelineTestWorkers.workflow(env, plan.runId()).run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        save(plan.runId());
    }

    /** Today's workers: a successful attempt's report ends its step, and the workflow writes nothing for it. */
    @Test
    void stepsEndedByTheirAttempts() throws IOException {
        ArtifactRef model = artifact("model.pkl", "weights");
        steps.endingSteps().produces("train", model);
        RunPlan plan = plan(
                "steps-ended-by-attempts",
                step("train"),
                withInputs(step("evaluate", "train"), input("model", "train", "model.pkl")));
        assertThat(PipelineTestWorkers.workflow(env, plan.runId()).run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(control.steps()).isEmpty();
        save(plan.runId());
    }

    @Test
    void failedStepSkipsItsDependent() throws IOException {
        steps.when("prepare", (request, attempt) -> {
            throw ApplicationFailure.newNonRetryableFailure("exited 3", StepFailures.EXIT_CODE, 3);
        });
        RunPlan plan = plan("failed-step", step("prepare"), step("train", "prepare"), step("lint"));
        assertThat(PipelineTestWorkers.workflow(env, plan.runId()).run(plan)).isEqualTo(RunStatus.FAILED);
        save(plan.runId());
    }

    @Test
    void retriedStepSucceeded() throws IOException {
        steps.when("train", (request, attempt) -> {
            if (attempt == 1) {
                throw ApplicationFailure.newFailure("exited 1", StepFailures.EXIT_CODE, 1);
            }
        });
        RunPlan plan = plan("retried-step", step("train", 1));
        assertThat(PipelineTestWorkers.workflow(env, plan.runId()).run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        save(plan.runId());
    }

    @Test
    void cancelledRun() throws Exception {
        CountDownLatch trainRunning = new CountDownLatch(1);
        steps.when("train", steps.heartbeatUntilCancelled(trainRunning));
        RunPlan plan = plan("cancelled", step("prepare"), step("train", "prepare"), step("evaluate", "train"));
        PipelineWorkflow workflow = PipelineTestWorkers.workflow(env, plan.runId());
        WorkflowClient.start(workflow::run, plan);
        assertThat(trainRunning.await(10, SECONDS)).isTrue();
        WorkflowStub run = WorkflowStub.fromTyped(workflow);
        run.cancel();
        try {
            run.getResult(RunStatus.class);
        } catch (RuntimeException expected) {
            // a cancelled workflow ends CANCELED in Temporal; its history is what we want
        }
        save(plan.runId());
    }

    @Test
    void inputsHandedOnAndCacheHit() throws IOException {
        ArtifactRef data = artifact("data.npz", "prepared rows");
        ArtifactRef model = artifact("model.pkl", "trained weights");
        steps.produces("prepare", data);
        control.remember(RecordingControlActivities.key("train-key", List.of(data.sha256())), List.of(model));
        RunPlan plan = plan(
                "inputs-and-cache",
                step("prepare"),
                cached(withInputs(step("train", "prepare"), input("data", "prepare", "data.npz")), "train-key"),
                withInputs(step("evaluate", "train"), input("model", "train", "model.pkl")));
        assertThat(PipelineTestWorkers.workflow(env, plan.runId()).run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("prepare #1", "evaluate #1");
        save(plan.runId());
    }

    @Test
    void approvalApproved() throws Exception {
        RunPlan plan = plan("approval-approved", step("prepare"), needingApproval(step("deploy", "prepare")));
        PipelineWorkflow workflow = PipelineTestWorkers.workflow(env, plan.runId());
        WorkflowClient.start(workflow::run, plan);
        assertThat(control.awaitWaiting("deploy", Duration.ofSeconds(10))).isTrue();
        ApprovalDecision approved = new ApprovalDecision("deploy", true, "alice", "ok");
        control.recordDecision(approved);
        workflow.decide(approved);
        assertThat(WorkflowStub.fromTyped(workflow).getResult(RunStatus.class)).isEqualTo(RunStatus.SUCCEEDED);
        save(plan.runId());
    }

    /** Version 1 of the workflow (the record is the truth): the plan checked first, the decision read from the record. */
    @Test
    void approvalFromTheRecord() throws Exception {
        RunPlan plan = plan("approval-from-record", step("prepare"), needingApproval(step("deploy", "prepare")));
        PipelineWorkflow workflow = PipelineTestWorkers.workflow(env, plan.runId());
        WorkflowClient.start(workflow::run, plan);
        assertThat(control.awaitWaiting("deploy", Duration.ofSeconds(10))).isTrue();
        workflow.decide(new ApprovalDecision("deploy", true, "mallory", "no decision recorded"));
        ApprovalDecision decision = new ApprovalDecision("deploy", true, "alice", "ok");
        control.recordDecision(decision);
        workflow.decide(decision);
        assertThat(WorkflowStub.fromTyped(workflow).getResult(RunStatus.class)).isEqualTo(RunStatus.SUCCEEDED);
        save(plan.runId());
    }

    private void save(String runId) throws IOException {
        Files.createDirectories(HISTORIES);
        String json = env.getWorkflowClient()
                .fetchHistory(PipelineWorkflow.workflowId(runId))
                .toJson(true);
        Files.writeString(HISTORIES.resolve(runId + ".json"), json);
    }
}
