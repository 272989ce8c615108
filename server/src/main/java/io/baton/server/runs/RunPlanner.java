package io.baton.server.runs;

import io.baton.common.Hashing;
import io.baton.pipeline.Commands;
import io.baton.pipeline.InputReference;
import io.baton.pipeline.Matrix;
import io.baton.pipeline.Parameters;
import io.baton.pipeline.PipelineSpec;
import io.baton.pipeline.StepSpec;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Json;
import io.baton.server.registry.ModelRegistry;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.InputPlan;
import io.baton.workflows.RunPlan;
import io.baton.workflows.StepPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Function;

/** Turns a validated spec and resolved parameters into the plan a workflow runs (matrix expanded, defaults applied). */
public final class RunPlanner {
    /** A step without {@code timeout} may run this long (training runs are long). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

    private RunPlanner() {}

    /** Resolves {@code dataset://} and {@code model://} inputs when a run is planned. */
    public interface Registry {
        /**
         * The files the reference ({@code text} as the spec wrote it) names and the version it resolved to; a 400
         * {@link BatonException} otherwise.
         */
        ModelRegistry.Resolved resolve(InputReference reference, String text, String project);
    }

    /**
     * @param blobs the size of a blob named by a {@code sha256:} input, empty when the server has no such blob
     * @param registry resolves dataset and model inputs, each to the version it names now
     * @param reused steps a resumed run takes over, with their outputs
     */
    public static RunPlan plan(
            String runId,
            String project,
            PipelineSpec spec,
            String bundle,
            int priority,
            String createdBy,
            Map<String, Object> parameters,
            Function<String, OptionalLong> blobs,
            Registry registry,
            Map<String, List<ArtifactRef>> reused) {
        Map<String, List<String>> expansions = new LinkedHashMap<>();
        for (StepSpec step : spec.steps()) {
            expansions.put(
                    step.name(),
                    Matrix.combinations(step.matrix()).stream()
                            .map(c -> Matrix.stepName(step.name(), c))
                            .toList());
        }
        List<StepPlan> steps = new ArrayList<>();
        for (StepSpec step : spec.steps()) {
            List<String> needs = step.needs().stream()
                    .flatMap(n -> expansions.get(n).stream())
                    .toList();
            List<InputPlan> inputs = inputs(step, project, expansions, blobs, registry);
            for (Map<String, Object> combination : Matrix.combinations(step.matrix())) {
                steps.add(stepPlan(
                        step,
                        Matrix.stepName(step.name(), combination),
                        combination,
                        needs,
                        inputs,
                        bundle,
                        parameters));
            }
        }
        return new RunPlan(runId, project, spec.name(), bundle, priority, createdBy, parameters, steps, reused);
    }

    private static StepPlan stepPlan(
            StepSpec step,
            String name,
            Map<String, Object> combination,
            List<String> needs,
            List<InputPlan> inputs,
            String bundle,
            Map<String, Object> parameters) {
        Duration timeout = step.timeout() == null ? DEFAULT_TIMEOUT : step.timeout();
        Duration heartbeat = step.heartbeatTimeout() == null ? DEFAULT_HEARTBEAT_TIMEOUT : step.heartbeatTimeout();
        List<String> command = Commands.render(step.command(), parameters, combination);
        Map<String, String> env = new LinkedHashMap<>(step.env());
        combination.forEach((key, value) ->
                env.put("BATON_MATRIX_" + key.toUpperCase().replaceAll("[^A-Z0-9]", "_"), Parameters.render(value)));
        String cacheKeyBase = step.cache() ? cacheKeyBase(bundle, step.image(), command, parameters, env) : null;
        return new StepPlan(
                name,
                needs,
                step.pool(),
                command,
                env,
                step.image(),
                step.retries().retries(),
                step.retries().backoff().toMillis(),
                step.retries().maxBackoff().toMillis(),
                timeout.toMillis(),
                heartbeat.toMillis(),
                inputs,
                step.outputs(),
                cacheKeyBase,
                step.approval(),
                step.resources().cpus(),
                step.resources().memoryBytes(),
                step.resources().gpus(),
                step.register(),
                step.secrets());
    }

    private static List<InputPlan> inputs(
            StepSpec step,
            String project,
            Map<String, List<String>> expansions,
            Function<String, OptionalLong> blobs,
            Registry registry) {
        List<InputPlan> inputs = new ArrayList<>();
        for (var input : step.inputs().entrySet()) {
            InputReference ref = InputReference.parse(input.getValue());
            if (ref.kind() == InputReference.Kind.STEP) {
                List<String> producers = expansions.get(ref.name());
                boolean matrix = producers.size() != 1 || !producers.get(0).equals(ref.name());
                inputs.add(InputPlan.fromSteps(input.getKey(), producers, matrix, ref.path(), input.getValue()));
            } else if (ref.kind() == InputReference.Kind.ARTIFACT) {
                OptionalLong size = blobs.apply(ref.name());
                if (size.isEmpty()) {
                    throw new BatonException(
                            400,
                            ErrorCodes.INVALID_SPEC,
                            "input '" + input.getKey() + "' of step '" + step.name() + "' names artifact sha256:"
                                    + ref.name() + ", which this server does not have",
                            List.of());
                }
                inputs.add(InputPlan.known(
                        input.getKey(),
                        List.of(new ArtifactRef(ref.name(), ref.name(), size.getAsLong())),
                        "sha256:" + ref.name(),
                        input.getValue()));
            } else {
                ModelRegistry.Resolved resolved;
                try {
                    resolved = registry.resolve(ref, input.getValue(), project);
                } catch (BatonException e) {
                    throw new BatonException(
                            400,
                            ErrorCodes.INVALID_SPEC,
                            "input '" + input.getKey() + "' of step '" + step.name() + "' (" + input.getValue() + "): "
                                    + e.getMessage(),
                            List.of());
                }
                inputs.add(InputPlan.known(input.getKey(), resolved.files(), resolved.source(), input.getValue()));
            }
        }
        return inputs;
    }

    /**
     * What decides a step's result before its inputs are known: code bundle, image, command, every resolved
     * parameter and the environment. The input hashes are added when the step is about to run.
     */
    static String cacheKeyBase(
            String bundle,
            String image,
            List<String> command,
            Map<String, Object> parameters,
            Map<String, String> env) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("bundle", bundle);
        key.put("image", image);
        key.put("command", command);
        key.put("parameters", new TreeMap<>(parameters));
        key.put("env", new TreeMap<>(env));
        return Hashing.sha256(Json.write(key));
    }
}
