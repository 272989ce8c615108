package io.baton.workflows;

import io.baton.pipeline.RegisterSpec;
import java.util.List;

/**
 * How a step ended, as the workflow saw it ({@code exitCode} null when no process said), with what it hands on and
 * what it was given.
 */
public record StepOutcome(
        String runId,
        String step,
        StepStatus status,
        Integer exitCode,
        String message,
        List<ArtifactRef> outputs, // set when it SUCCEEDED or was CACHED
        String cacheKey, // when it has one
        List<StagedInput> inputs, // empty when it never got as far as running
        // the model a SUCCEEDED step registers its outputs as; null without register:
        RegisterSpec register) {
    public StepOutcome {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    public StepOutcome(String runId, String step, StepStatus status, Integer exitCode, String message) {
        this(runId, step, status, exitCode, message, List.of(), null, List.of(), null);
    }

    public StepOutcome(
            String runId,
            String step,
            StepStatus status,
            Integer exitCode,
            String message,
            List<ArtifactRef> outputs,
            String cacheKey,
            List<StagedInput> inputs) {
        this(runId, step, status, exitCode, message, outputs, cacheKey, inputs, null);
    }

    /** The same outcome, with the files the step was given. */
    public StepOutcome withInputs(List<StagedInput> staged) {
        return new StepOutcome(runId, step, status, exitCode, message, outputs, cacheKey, staged, register);
    }

    /** The same outcome, with the model its outputs are registered as. */
    public StepOutcome withRegister(RegisterSpec model) {
        return new StepOutcome(runId, step, status, exitCode, message, outputs, cacheKey, inputs, model);
    }
}
