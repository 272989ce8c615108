package io.baton.workflows;

import java.util.List;
import java.util.Map;

/**
 * What a worker needs to run one attempt of a step. {@code attemptBase} is added to Temporal's attempt number, so
 * that attempt numbers stay unique when the workflow schedules a step's activity more than once. {@code retries}
 * is the spec's: after that many failed commands the worker ends the step (attempts lost with a worker are retried
 * on top, by Temporal's policy). {@code endsStep}: a successful attempt's report also records the step's end (status,
 * outputs, the inputs it was given), so that the workflow needs no write of its own after it; false for a step that
 * registers a model, whose end the workflow records together with the registration.
 */
public record StepRequest(
        String runId,
        String step,
        String bundle,
        List<String> command,
        Map<String, String> env,
        Map<String, Object> parameters,
        long timeoutMs,
        int attemptBase,
        int retries,
        List<StagedInput> inputs,
        List<String> outputs,
        String image,
        long memoryBytes,
        boolean endsStep) {
    public StepRequest {
        command = List.copyOf(command);
        env = env == null ? Map.of() : env;
        parameters = parameters == null ? Map.of() : parameters;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }
}
