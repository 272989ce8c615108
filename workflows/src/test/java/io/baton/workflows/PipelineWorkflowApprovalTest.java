package io.baton.workflows;

import static io.baton.workflows.Plans.needingApproval;
import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.step;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A step with {@code approval: true} waits, recorded WAITING, until a user's decision reaches its run's workflow. */
class PipelineWorkflowApprovalTest extends PipelineWorkflowHarness {
    @Test
    void approvalStepWaitsForTheSignalThenRuns() throws InterruptedException {
        PipelineWorkflow workflow = startWaitingForDeploy("approved");
        // deploy is recorded WAITING; that it does not run before a decision at all is proven by the rejected run below
        assertThat(steps.attempts()).as("before the decision").containsExactly("prepare #1");

        decide(workflow, new ApprovalDecision("deploy", true, "alice", "ok"));

        assertThat(WorkflowStub.fromTyped(workflow).getResult(RunStatus.class)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("prepare #1", "deploy #1", "announce #1");
        assertThat(events.indexOf("start deploy #1")).isGreaterThan(events.indexOf("decide deploy"));
        assertThat(control.waiting()).containsExactly("deploy");
        assertThat(control.step("deploy").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(control.runs()).containsExactly(new RunOutcome("approved", RunStatus.SUCCEEDED, null));
    }

    @Test
    void rejectedApprovalFailsTheStepAndSkipsItsDependents() throws InterruptedException {
        PipelineWorkflow workflow = startWaitingForDeploy("rejected");

        decide(workflow, new ApprovalDecision("deploy", false, "bob", "no"));

        assertThat(WorkflowStub.fromTyped(workflow).getResult(RunStatus.class)).isEqualTo(RunStatus.FAILED);
        assertThat(control.step("deploy"))
                .isEqualTo(new StepOutcome("rejected", "deploy", StepStatus.FAILED, null, "rejected by bob: no"));
        assertThat(control.step("announce"))
                .isEqualTo(new StepOutcome(
                        "rejected", "announce", StepStatus.SKIPPED, null, "skipped: a step it needs did not succeed"));
        assertThat(steps.attempts()).containsExactly("prepare #1");
        assertThat(control.runs())
                .containsExactly(new RunOutcome("rejected", RunStatus.FAILED, "failed steps: deploy"));
    }

    @Test
    void signalWithNoRecordedDecisionLeavesTheStepWaiting() throws Exception {
        PipelineWorkflow workflow = startWaitingForDeploy("forged-signal");

        // anyone who reaches Temporal could send this; no decision stands behind it in the record
        workflow.decide(new ApprovalDecision("deploy", true, "mallory", "forged"));
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (!events.all().contains("approvalRecorded deploy") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(events.all()).as("the workflow read the record").contains("approvalRecorded deploy");
        assertThat(steps.attempts()).as("after a forged signal").containsExactly("prepare #1");

        decide(workflow, new ApprovalDecision("deploy", true, "alice", "ok"));
        assertThat(WorkflowStub.fromTyped(workflow).getResult(RunStatus.class)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("prepare #1", "deploy #1", "announce #1");
    }

    @Test
    void recordedDecisionWinsOverTheSignalsPayload() throws Exception {
        PipelineWorkflow workflow = startWaitingForDeploy("recorded-wins");
        control.recordDecision(new ApprovalDecision("deploy", false, "bob", "no"));

        workflow.decide(new ApprovalDecision("deploy", true, "mallory", "forged"));

        assertThat(WorkflowStub.fromTyped(workflow).getResult(RunStatus.class)).isEqualTo(RunStatus.FAILED);
        assertThat(control.step("deploy").message()).isEqualTo("rejected by bob: no");
        assertThat(steps.attempts()).containsExactly("prepare #1");
    }

    @Test
    void cancellingARunWaitingForApprovalCancelsIt() throws InterruptedException {
        PipelineWorkflow workflow = startWaitingForDeploy("cancelled-waiting");
        WorkflowStub run = WorkflowStub.fromTyped(workflow);

        run.cancel();

        assertThatThrownBy(() -> run.getResult(RunStatus.class))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        assertThat(control.step("deploy").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(control.step("announce").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(steps.attempts()).containsExactly("prepare #1");
        assertThat(control.runs()).containsExactly(new RunOutcome("cancelled-waiting", RunStatus.CANCELLED, null));
    }

    @Test
    void cancellingARunCancelsAnApprovedStepWhileItRuns() throws InterruptedException {
        CountDownLatch deployRunning = new CountDownLatch(1);
        steps.when("deploy", steps.heartbeatUntilCancelled(deployRunning));
        PipelineWorkflow workflow = startWaitingForDeploy("cancelled-approved");
        decide(workflow, new ApprovalDecision("deploy", true, "alice", null));
        assertThat(deployRunning.await(10, SECONDS)).as("deploy started").isTrue();
        WorkflowStub run = WorkflowStub.fromTyped(workflow);

        run.cancel();

        assertThatThrownBy(() -> run.getResult(RunStatus.class))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        assertThat(events.all()).contains("deploy saw its cancellation");
        assertThat(control.step("deploy").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(control.step("announce").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(control.runs()).containsExactly(new RunOutcome("cancelled-approved", RunStatus.CANCELLED, null));
    }

    /** Starts prepare -> deploy (approval: true) -> announce and returns once deploy is recorded WAITING. */
    private PipelineWorkflow startWaitingForDeploy(String runId) throws InterruptedException {
        RunPlan plan =
                plan(runId, step("prepare"), needingApproval(step("deploy", "prepare")), step("announce", "deploy"));
        PipelineWorkflow workflow = PipelineTestWorkers.workflow(env, runId);
        WorkflowClient.start(workflow::run, plan);
        assertThat(control.awaitWaiting("deploy", Duration.ofSeconds(10)))
                .as("deploy waiting")
                .isTrue();
        return workflow;
    }

    /** What the server does when a user approves or rejects: record the decision, then signal the run's workflow. */
    private void decide(PipelineWorkflow workflow, ApprovalDecision decision) {
        events.add("decide " + decision.step());
        control.recordDecision(decision);
        workflow.decide(decision);
    }
}
