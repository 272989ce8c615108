package io.baton.workflows;

import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The record is the truth: a workflow runs only the plan the server recorded for its run. */
class PipelineWorkflowRecordTest extends PipelineWorkflowHarness {
    @Test
    void planThatIsNotTheRecordRunsNothingAndWritesNothing() {
        RunPlan plan = plan("edited", step("prepare"), step("train", "prepare"));
        control.planNotRecorded("edited");

        assertThatThrownBy(() -> PipelineTestWorkers.workflow(env, "edited").run(plan))
                .isInstanceOf(WorkflowFailedException.class)
                .hasRootCauseInstanceOf(ApplicationFailure.class)
                .rootCause()
                .hasMessageContaining("not the one recorded");
        assertThat(steps.attempts()).isEmpty();
        assertThat(control.steps()).isEmpty();
        assertThat(control.runs()).isEmpty();
    }

    @Test
    void planOfAnotherRunUnderThisRunsWorkflowIdRunsNothing() {
        RunPlan other = plan("other-run", step("prepare"));
        PipelineWorkflow workflow = env.getWorkflowClient()
                .newWorkflowStub(
                        PipelineWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(TaskQueues.CONTROL)
                                .setWorkflowId(PipelineWorkflow.workflowId("this-run"))
                                .setWorkflowExecutionTimeout(Duration.ofSeconds(60))
                                .build());

        assertThatThrownBy(() -> workflow.run(other)).isInstanceOf(WorkflowFailedException.class);
        assertThat(steps.attempts()).isEmpty();
        assertThat(control.runs()).isEmpty();
    }

    @Test
    void recordedPlanIsCheckedBeforeAnythingRuns() {
        RunPlan plan = plan("recorded", step("prepare"));
        assertThat(PipelineTestWorkers.workflow(env, "recorded").run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.all()).startsWith("planRecorded recorded");
    }

    /**
     * A write of the record that fails is tried again: Temporal's Java SDK does not retry a local activity whose
     * options set neither attempts nor a schedule-to-close timeout, and the run's workflow failed at the first
     * failed write, leaving its run RUNNING for good.
     */
    @Test
    void stepEndWhoseWriteFailsTwiceIsWrittenOnTheThirdTryAndTheRunSucceeds() {
        RunPlan plan = plan("flaky-record", step("prepare"), step("train", "prepare"));
        control.failStepFinished(2);

        assertThat(PipelineTestWorkers.workflow(env, "flaky-record").run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.all())
                .containsSubsequence(
                        "stepFinished failed prepare", "stepFinished failed prepare", "stepFinished prepare SUCCEEDED");
        assertThat(control.runs()).hasSize(1);
    }
}
