package io.baton.workflows;

import java.util.List;

/**
 * The result of a successful attempt: its number, the exit code (0) and references to its outputs; {@code stepEnded}
 * when its report also recorded the step's end ({@link StepRequest#endsStep()}), so the workflow writes nothing more.
 */
public record StepResult(int attempt, int exitCode, List<ArtifactRef> outputs, boolean stepEnded) {
    public StepResult {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public StepResult(int attempt, int exitCode, List<ArtifactRef> outputs) {
        this(attempt, exitCode, outputs, false);
    }
}
