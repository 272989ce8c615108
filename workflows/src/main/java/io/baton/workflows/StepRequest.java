package io.baton.workflows;

import java.util.List;
import java.util.Map;

/**
 * What a worker needs to run one attempt of a step: which step, what it runs ({@link Command}), within which limits
 * ({@link Limits}), the inputs staged for it and the outputs it declares. {@code endsStep}: see docs/architecture.md.
 */
public record StepRequest(
        String runId,
        String step,
        Command command,
        Limits limits,
        List<StagedInput> inputs,
        List<String> outputs,
        boolean endsStep) {
    public StepRequest {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    /**
     * What the attempt runs: the code bundle's sha256 (none: null), the command's arguments, the spec's variables,
     * the run's parameters, and the container image (null: on the worker itself).
     */
    public record Command(
            String bundle, List<String> args, Map<String, String> env, Map<String, Object> parameters, String image) {
        public Command {
            args = List.copyOf(args);
            env = env == null ? Map.of() : env;
            parameters = parameters == null ? Map.of() : parameters;
        }
    }

    /**
     * The step's bounds: its timeout (0: none), the spec's {@code retries} (after that many failed commands the
     * worker ends the step; attempts lost with a worker are retried on top) and the memory it takes on a worker.
     */
    public record Limits(long timeoutMs, int retries, long memoryBytes) {}
}
