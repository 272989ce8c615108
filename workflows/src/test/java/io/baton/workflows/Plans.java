package io.baton.workflows;

import io.baton.pipeline.RegisterSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Small run plans for workflow tests: every step on pool cpu, short timeouts, no retries unless asked. */
final class Plans {
    static final String POOL = "cpu";

    private Plans() {}

    static RunPlan plan(String runId, StepPlan... steps) {
        return resumed(runId, Map.of(), steps);
    }

    /** A resumed run: the steps in {@code reused} are taken over from its original with these outputs. */
    static RunPlan resumed(String runId, Map<String, List<ArtifactRef>> reused, StepPlan... steps) {
        return new RunPlan(
                runId, "demo", "pipeline", "bundle-sha256", 3, "alice", Map.of("epochs", 2), List.of(steps), reused);
    }

    static StepPlan step(String name, String... needs) {
        return step(name, 0, needs);
    }

    static StepPlan step(String name, int retries, String... needs) {
        return new StepPlan(
                name,
                List.of(needs),
                POOL,
                List.of("python", name + ".py"),
                Map.of(),
                null,
                retries,
                10,
                100,
                60_000,
                1_000,
                List.of(),
                List.of(),
                null,
                false,
                1,
                0,
                0,
                null);
    }

    static StepPlan withInputs(StepPlan step, InputPlan... inputs) {
        return copy(step, List.of(inputs), step.cacheKeyBase(), step.approval(), step.register());
    }

    /** The step with {@code cache: true}; the server would have computed {@code keyBase} from the spec. */
    static StepPlan cached(StepPlan step, String keyBase) {
        return copy(step, step.inputs(), keyBase, step.approval(), step.register());
    }

    static StepPlan needingApproval(StepPlan step) {
        return copy(step, step.inputs(), step.cacheKeyBase(), true, step.register());
    }

    /** An input of {@code path} (a file or glob) among the outputs of one ordinary step. */
    static InputPlan input(String name, String producer, String path) {
        return InputPlan.fromSteps(name, List.of(producer), false, path, producer + "/" + path);
    }

    /** An input from the steps of a matrix step: each producer's files in a folder of its own. */
    static InputPlan inputPerProducer(String name, String path, String... producers) {
        return InputPlan.fromSteps(
                name, List.of(producers), true, path, producers[0].replaceAll("\\[.*", "") + "/" + path);
    }

    /** An output whose reference is the real sha256 and size of {@code content}. */
    static ArtifactRef artifact(String path, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            return new ArtifactRef(
                    path,
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                    bytes.length);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The input a step is handed for {@code output}, staged under its producer's folder when {@code producer}. */
    /** A file of a matrix step's output, staged in the producing step's own folder. */
    static StagedInput staged(String name, String producer, ArtifactRef output) {
        return new StagedInput(name, producer, output.path(), output.sha256(), output.size(), "step:" + producer);
    }

    /** A file of an ordinary step's output. */
    static StagedInput stagedFrom(String name, String fromStep, ArtifactRef output) {
        return new StagedInput(name, null, output.path(), output.sha256(), output.size(), "step:" + fromStep);
    }

    /** A step whose outputs become a version of a model when it succeeds. */
    static StepPlan registering(StepPlan step, RegisterSpec model) {
        return copy(step, step.inputs(), step.cacheKeyBase(), step.approval(), model);
    }

    private static StepPlan copy(
            StepPlan step, List<InputPlan> inputs, String cacheKeyBase, boolean approval, RegisterSpec register) {
        return new StepPlan(
                step.name(),
                step.needs(),
                step.pool(),
                step.command(),
                step.env(),
                step.image(),
                step.retries(),
                step.backoffMs(),
                step.maxBackoffMs(),
                step.timeoutMs(),
                step.heartbeatTimeoutMs(),
                inputs,
                step.outputs(),
                cacheKeyBase,
                approval,
                step.cpus(),
                step.memoryBytes(),
                step.gpus(),
                register);
    }
}
