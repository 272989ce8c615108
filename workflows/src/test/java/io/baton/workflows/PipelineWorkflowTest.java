package io.baton.workflows;

import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.step;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.baton.pipeline.RegisterSpec;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The pipeline workflow against a fake pool worker and a recording server, in Temporal's in-memory test service:
 * the workflow and the control activities on {@link TaskQueues#CONTROL}, the steps on {@code pool-cpu}.
 */
class PipelineWorkflowTest extends PipelineWorkflowHarness {
    @Test
    void runsStepsInDependencyOrderAndIndependentStepsInParallel() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        FakeStepActivities.Behaviour waitForTheOther = (request, attempt) -> {
            bothRunning.countDown();
            if (!bothRunning.await(10, SECONDS)) {
                throw ApplicationFailure.newNonRetryableFailure(request.step() + " ran alone", "Test");
            }
        };
        steps.when("b", waitForTheOther).when("c", waitForTheOther);
        RunPlan plan = plan("dag", step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"));

        RunStatus status = workflow(plan.runId()).run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactlyInAnyOrder("a #1", "b #1", "c #1", "d #1");
        assertThat(events.indexOf("start b #1")).isGreaterThan(events.indexOf("end a #1"));
        assertThat(events.indexOf("start c #1")).isGreaterThan(events.indexOf("end a #1"));
        assertThat(events.indexOf("start d #1"))
                .isGreaterThan(events.indexOf("end b #1"))
                .isGreaterThan(events.indexOf("end c #1"));
        assertThat(control.steps())
                .extracting(StepOutcome::step, StepOutcome::status, StepOutcome::exitCode)
                .containsExactlyInAnyOrder(
                        tuple("a", StepStatus.SUCCEEDED, 0), tuple("b", StepStatus.SUCCEEDED, 0),
                        tuple("c", StepStatus.SUCCEEDED, 0), tuple("d", StepStatus.SUCCEEDED, 0));
        assertThat(control.runs()).containsExactly(new RunOutcome("dag", RunStatus.SUCCEEDED, null));
    }

    @Test
    void failedStepSkipsItsDependentsAndFailsTheRunWithTheExitCode() {
        steps.when("prepare", (request, attempt) -> {
            throw ApplicationFailure.newNonRetryableFailure("exited 3", StepFailures.EXIT_CODE, 3);
        });
        RunPlan plan =
                plan("failing", step("prepare"), step("train", "prepare"), step("evaluate", "train"), step("lint"));

        RunStatus status = workflow(plan.runId()).run(plan);

        assertThat(status).isEqualTo(RunStatus.FAILED);
        assertThat(control.step("prepare"))
                .isEqualTo(new StepOutcome("failing", "prepare", StepStatus.FAILED, 3, "exited 3"));
        assertThat(control.step("train"))
                .isEqualTo(new StepOutcome(
                        "failing", "train", StepStatus.SKIPPED, null, "skipped: a step it needs did not succeed"));
        assertThat(control.step("evaluate"))
                .isEqualTo(new StepOutcome(
                        "failing", "evaluate", StepStatus.SKIPPED, null, "skipped: a step it needs did not succeed"));
        assertThat(control.step("lint").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactlyInAnyOrder("prepare #1", "lint #1");
        assertThat(control.runs())
                .containsExactly(new RunOutcome("failing", RunStatus.FAILED, "failed steps: prepare"));
    }

    @Test
    void retryableFailureIsRetriedByTemporal() {
        steps.when("train", (request, attempt) -> {
            if (attempt == 1) {
                throw ApplicationFailure.newFailure("exited 1", StepFailures.EXIT_CODE, 1);
            }
        });
        RunPlan plan = plan("retry", step("train", 1));

        RunStatus status = workflow(plan.runId()).run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("train #1", "train #2");
        assertThat(control.step("train").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(control.runs()).containsExactly(new RunOutcome("retry", RunStatus.SUCCEEDED, null));
    }

    @Test
    void cancellingTheRunCancelsRunningStepsAndRecordsCancelled() throws InterruptedException {
        CountDownLatch trainRunning = new CountDownLatch(1);
        steps.when("train", steps.heartbeatUntilCancelled(trainRunning));
        RunPlan plan = plan("cancel", step("prepare"), step("train", "prepare"), step("evaluate", "train"));
        PipelineWorkflow workflow = workflow(plan.runId());
        WorkflowClient.start(workflow::run, plan);
        assertThat(trainRunning.await(10, SECONDS)).as("train started").isTrue();

        WorkflowStub run = WorkflowStub.fromTyped(workflow);
        run.cancel();

        assertThatThrownBy(() -> run.getResult(RunStatus.class))
                .isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        assertThat(control.step("prepare").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(control.step("train").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(control.step("evaluate").status()).isEqualTo(StepStatus.CANCELLED);
        assertThat(control.runs()).containsExactly(new RunOutcome("cancel", RunStatus.CANCELLED, null));
        assertThat(steps.attempts()).containsExactly("prepare #1", "train #1");
        // WAIT_CANCELLATION_COMPLETED: the step's process is gone before anything is recorded CANCELLED
        assertThat(events.indexOf("fail train #1"))
                .isGreaterThan(events.indexOf("train saw its cancellation"))
                .isLessThan(events.indexOf("stepFinished train CANCELLED"))
                .isLessThan(events.indexOf("runFinished CANCELLED"));
    }

    private PipelineWorkflow workflow(String runId) {
        return PipelineTestWorkers.workflow(env, runId);
    }

    @Test
    void stepsWhoseAttemptsRecordedTheirEndNeedNoWriteOfTheWorkflow() {
        ArtifactRef model = Plans.artifact("model.pkl", "weights");
        steps.endingSteps().produces("train", model);
        StepPlan register = step("register", "train");
        register = new StepPlan(
                register.name(),
                register.needs(),
                register.pool(),
                register.command(),
                register.env(),
                register.image(),
                register.retries(),
                register.backoffMs(),
                register.maxBackoffMs(),
                register.timeoutMs(),
                register.heartbeatTimeoutMs(),
                List.of(Plans.input("model", "train", "model.pkl")),
                register.outputs(),
                null,
                false,
                1,
                0,
                0,
                new RegisterSpec("iris", null, null));
        steps.when("fails", (request, attempt) -> {
            throw ApplicationFailure.newNonRetryableFailure("exited 2", StepFailures.EXIT_CODE, 2);
        });
        RunPlan plan = plan(
                "ended",
                step("train"),
                Plans.withInputs(step("evaluate", "train"), Plans.input("model", "train", "model.pkl")),
                register,
                step("fails"));

        assertThat(workflow(plan.runId()).run(plan)).isEqualTo(RunStatus.FAILED);

        assertThat(steps.request("train").endsStep()).isTrue();
        assertThat(steps.request("register").endsStep())
                .as("a step that registers a model")
                .isFalse();
        // the outputs of a step ended by its attempt are still handed on
        assertThat(steps.request("evaluate").inputs()).containsExactly(Plans.stagedFrom("model", "train", model));
        assertThat(events.all())
                .contains("attempt ended train", "attempt ended evaluate")
                .doesNotContain("attempt ended register");
        assertThat(control.steps())
                .extracting(StepOutcome::step, StepOutcome::status)
                .containsExactlyInAnyOrder(tuple("register", StepStatus.SUCCEEDED), tuple("fails", StepStatus.FAILED));
        assertThat(control.runs()).containsExactly(new RunOutcome("ended", RunStatus.FAILED, "failed steps: fails"));
    }

    @Test
    void aStepTheServerSaysHadAlreadySucceededSucceedsAndHandsOnItsOutputs() {
        // the last attempt's report ended "train" SUCCEEDED, then its worker died before Temporal heard of it
        ArtifactRef model = Plans.artifact("model.pkl", "weights");
        steps.when("train", (request, attempt) -> {
            throw ApplicationFailure.newNonRetryableFailure("its worker stopped heartbeating", "Lost");
        });
        control.alreadyEnded("train", new RecordedStep(StepStatus.SUCCEEDED, List.of(model)));
        RunPlan plan = plan(
                "lost-success",
                step("train"),
                Plans.withInputs(step("evaluate", "train"), Plans.input("model", "train", "model.pkl")));

        assertThat(workflow(plan.runId()).run(plan)).isEqualTo(RunStatus.SUCCEEDED);

        assertThat(steps.request("evaluate").inputs()).containsExactly(Plans.stagedFrom("model", "train", model));
        assertThat(control.runs()).containsExactly(new RunOutcome("lost-success", RunStatus.SUCCEEDED, null));
    }

    @Test
    void aStepThatRegistersAModelIsRecordedByTheWorkflowWhateverItsWorkerSays() {
        steps.claimingEnds().produces("train", Plans.artifact("model.pkl", "weights"));
        StepPlan train = step("train");
        train = new StepPlan(
                train.name(),
                train.needs(),
                train.pool(),
                train.command(),
                train.env(),
                train.image(),
                train.retries(),
                train.backoffMs(),
                train.maxBackoffMs(),
                train.timeoutMs(),
                train.heartbeatTimeoutMs(),
                train.inputs(),
                train.outputs(),
                null,
                false,
                1,
                0,
                0,
                new RegisterSpec("iris", null, null));
        RunPlan plan = plan("registers", train, step("plain"));

        assertThat(workflow(plan.runId()).run(plan)).isEqualTo(RunStatus.SUCCEEDED);

        // the registration is the workflow's write: done for "train"; "plain" was ended by its (claimed) report
        assertThat(control.steps())
                .extracting(StepOutcome::step, StepOutcome::status)
                .containsExactly(tuple("train", StepStatus.SUCCEEDED));
    }
}
