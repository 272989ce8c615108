package io.baton.workflows;

import static io.baton.workflows.Plans.artifact;
import static io.baton.workflows.Plans.cached;
import static io.baton.workflows.Plans.input;
import static io.baton.workflows.Plans.inputPerProducer;
import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.resumed;
import static io.baton.workflows.Plans.staged;
import static io.baton.workflows.Plans.stagedFrom;
import static io.baton.workflows.Plans.step;
import static io.baton.workflows.Plans.withInputs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the outputs of one step become the inputs of another: handed on when it ran, taken over from the original
 * of a resumed run, or taken from the cache instead of running it.
 */
class PipelineWorkflowInputsTest extends PipelineWorkflowHarness {
    private static final ArtifactRef DATA = artifact("data.npz", "prepared rows");
    private static final ArtifactRef OTHER = artifact("other.txt", "notes");
    private static final ArtifactRef MODEL = artifact("model.pkl", "trained weights");

    @Test
    void outputsOfAStepAreStagedAsInputsOfTheStepsThatNeedThem() {
        steps.produces("a", DATA, OTHER);
        RunPlan plan = plan("handed-on", step("a"), withInputs(step("b", "a"), input("data", "a", "data.npz")));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.request("a").inputs()).isEmpty();
        assertThat(steps.request("b").inputs()).containsExactly(stagedFrom("data", "a", DATA));
        assertThat(control.step("a").outputs()).containsExactly(DATA, OTHER);
    }

    @Test
    void matrixProducersEachGetAFolderOfTheirOwn() {
        ArtifactRef fast = artifact("model.pkl", "weights at lr 0.1");
        ArtifactRef slow = artifact("model.pkl", "weights at lr 0.01");
        steps.produces("train[lr=0.1]", fast, OTHER).produces("train[lr=0.01]", slow, OTHER);
        RunPlan plan = plan(
                "matrix",
                step("train[lr=0.1]"),
                step("train[lr=0.01]"),
                withInputs(
                        step("compare", "train[lr=0.1]", "train[lr=0.01]"),
                        inputPerProducer("models", "model.pkl", "train[lr=0.1]", "train[lr=0.01]")));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.request("compare").inputs())
                .containsExactly(staged("models", "train[lr=0.1]", fast), staged("models", "train[lr=0.01]", slow));
    }

    @Test
    void filesOfADatasetVersionAreStagedWithTheVersionTheyCameFrom() {
        ArtifactRef features = artifact("train/features.csv", "1,2,3");
        ArtifactRef labels = artifact("train/labels.csv", "0,1,1");
        RunPlan plan = plan(
                "dataset-input",
                withInputs(
                        step("fit"),
                        InputPlan.known("data", List.of(features, labels), "dataset:iris/3", "dataset://iris@latest")));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.request("fit").inputs())
                .containsExactly(
                        new StagedInput(
                                "data",
                                null,
                                "train/features.csv",
                                features.sha256(),
                                features.size(),
                                "dataset:iris/3"),
                        new StagedInput(
                                "data", null, "train/labels.csv", labels.sha256(), labels.size(), "dataset:iris/3"));
        assertThat(control.step("fit").inputs())
                .as("the step's end records what it read")
                .isEqualTo(steps.request("fit").inputs());
    }

    @Test
    void aSucceededStepTellsTheServerWhichModelItsOutputsRegisterAs() {
        io.baton.pipeline.RegisterSpec model = new io.baton.pipeline.RegisterSpec("iris", "model.pkl", null);
        steps.produces("train", MODEL).produces("evaluate", OTHER);
        RunPlan plan = plan("registering", Plans.registering(step("train"), model), step("evaluate", "train"));

        assertThat(run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(control.step("train").register()).isEqualTo(model);
        assertThat(control.step("evaluate").register())
                .as("a step without register:")
                .isNull();
    }

    @Test
    void anInputGlobSelectsEveryMatchingOutput() {
        ArtifactRef scaler = artifact("scaler.pkl", "scaler");
        steps.produces("train", MODEL, scaler, OTHER);
        RunPlan plan =
                plan("glob", step("train"), withInputs(step("evaluate", "train"), input("pickles", "train", "*.pkl")));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.request("evaluate").inputs())
                .containsExactly(stagedFrom("pickles", "train", MODEL), stagedFrom("pickles", "train", scaler));
    }

    @Test
    void anInputMatchingNoOutputFailsTheStepWithoutRunningIt() {
        steps.produces("a", OTHER);
        RunPlan plan = plan("missing-input", step("a"), withInputs(step("b", "a"), input("data", "a", "data.npz")));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.FAILED);
        StepOutcome b = control.step("b");
        assertThat(b.status()).isEqualTo(StepStatus.FAILED);
        assertThat(b.message()).contains("input 'data'", "step 'a'", "'data.npz'");
        assertThat(steps.attempts()).containsExactly("a #1");
        assertThat(control.runs())
                .containsExactly(new RunOutcome("missing-input", RunStatus.FAILED, "failed steps: b"));
    }

    @Test
    void stepsNeedingAStepWithAMissingInputAreSkippedWithTheReason() {
        steps.produces("a", OTHER);
        RunPlan plan = plan(
                "missing-input-skips",
                step("a"),
                withInputs(step("b", "a"), input("data", "a", "data.npz")),
                step("c", "b"));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.FAILED);
        assertThat(control.step("c"))
                .isEqualTo(new StepOutcome(
                        "missing-input-skips",
                        "c",
                        StepStatus.SKIPPED,
                        null,
                        "skipped: a step it needs did not succeed"));
    }

    @Test
    void reusedStepsAreNotRunAndHandTheirOutputsOn() {
        RunPlan plan = resumed(
                "resumed",
                Map.of("a", List.of(DATA)),
                step("a"),
                withInputs(step("b", "a"), input("data", "a", "data.npz")));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("b #1");
        assertThat(steps.request("b").inputs()).containsExactly(stagedFrom("data", "a", DATA));
        // the server recorded a REUSED when it planned the resumed run
        assertThat(control.steps()).extracting(StepOutcome::step).containsExactly("b");
        assertThat(control.runs()).containsExactly(new RunOutcome("resumed", RunStatus.SUCCEEDED, null));
    }

    @Test
    void cachedStepIsTakenFromTheCacheAndNotRun() {
        steps.produces("prepare", DATA);
        control.remember(RecordingControlActivities.key("train-key", List.of(DATA.sha256())), List.of(MODEL));
        RunPlan plan = cachePlan("cache-hit");

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(control.cacheQueries())
                .containsExactly(new CacheQuery(
                        "cache-hit", "train", "train-key", List.of(stagedFrom("data", "prepare", DATA))));
        assertThat(steps.attempts()).containsExactly("prepare #1", "evaluate #1");
        assertThat(steps.request("evaluate").inputs()).containsExactly(stagedFrom("model", "train", MODEL));
        // findCached recorded train CACHED on its hit
        assertThat(control.steps()).extracting(StepOutcome::step).containsExactly("prepare", "evaluate");
    }

    @Test
    void cacheMissRunsTheStepAndRecordsItsKey() {
        steps.produces("prepare", DATA).produces("train", MODEL);
        RunPlan plan = cachePlan("cache-miss");

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("prepare #1", "train #1", "evaluate #1");
        assertThat(control.step("train"))
                .isEqualTo(new StepOutcome(
                        "cache-miss",
                        "train",
                        StepStatus.SUCCEEDED,
                        0,
                        null,
                        List.of(MODEL),
                        RecordingControlActivities.key("train-key", List.of(DATA.sha256())),
                        List.of(stagedFrom("data", "prepare", DATA))));
        assertThat(control.step("prepare").cacheKey())
                .as("prepare has no cache: true")
                .isNull();
        assertThat(steps.request("evaluate").inputs()).containsExactly(stagedFrom("model", "train", MODEL));
    }

    @Test
    void aStepListedBeforeTheCachedStepItNeedsStillRuns() {
        // a spec may list its steps in any order, and the planner keeps the spec's order
        steps.produces("prepare", DATA);
        control.remember(RecordingControlActivities.key("train-key", List.of(DATA.sha256())), List.of(MODEL));
        RunPlan plan = plan(
                "cache-hit-out-of-order",
                step("prepare"),
                withInputs(step("evaluate", "train"), input("model", "train", "model.pkl")),
                cached(withInputs(step("train", "prepare"), input("data", "prepare", "data.npz")), "train-key"));

        RunStatus status = run(plan);

        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(steps.attempts()).containsExactly("prepare #1", "evaluate #1");
        assertThat(control.step("evaluate").status()).isEqualTo(StepStatus.SUCCEEDED);
    }

    /** prepare -> train (cache: true, reads prepare's data) -> evaluate (reads train's model). */
    private static RunPlan cachePlan(String runId) {
        return plan(
                runId,
                step("prepare"),
                cached(withInputs(step("train", "prepare"), input("data", "prepare", "data.npz")), "train-key"),
                withInputs(step("evaluate", "train"), input("model", "train", "model.pkl")));
    }

    private RunStatus run(RunPlan plan) {
        return PipelineTestWorkers.workflow(env, plan.runId()).run(plan);
    }
}
