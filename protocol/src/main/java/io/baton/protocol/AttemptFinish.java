package io.baton.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.AttemptStatus;
import io.baton.workflows.StagedInput;
import java.util.List;

/**
 * How an attempt ended on its worker; {@code exitCode} null when the process never ran. {@code outputs}: the files
 * it left under {@code $BATON_OUTPUTS}, already uploaded. {@code endsStep} (only with {@code SUCCEEDED}): the
 * attempt's success is also its step's, recorded in the same write with its outputs and {@code inputs}, the files
 * it was given; the workflow then writes nothing more for the step. Both are left out of the JSON when not used,
 * so that a server from before them takes the report.
 */
public record AttemptFinish(
        AttemptStatus status,
        Integer exitCode,
        String message,
        List<ArtifactRef> outputs,
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
