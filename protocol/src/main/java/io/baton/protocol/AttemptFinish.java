package io.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.StagedInput;
import java.util.List;

/**
 * How an attempt ended on its worker ({@code exitCode} null when the process never ran), with the outputs it left
 * under {@code $BATON_OUTPUTS}, already uploaded.
 */
public record AttemptFinish(
        AttemptStatus status,
        Integer exitCode,
        String message,
        List<ArtifactRef> outputs,
        // only with SUCCEEDED: the attempt's success is also its step's, recorded in the same write with its outputs
        // and the inputs it was given; the workflow then writes nothing more for the step
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean endsStep,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<StagedInput> inputs) {
    public AttemptFinish {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    public AttemptFinish(AttemptStatus status, Integer exitCode, String message, List<ArtifactRef> outputs) {
        this(status, exitCode, message, outputs, false, List.of());
    }

    public AttemptFinish(AttemptStatus status, Integer exitCode, String message) {
        this(status, exitCode, message, List.of());
    }
}
