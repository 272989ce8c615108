package io.baton.workflows;

import java.util.List;

/** The result of a successful attempt: its number, the exit code (0) and references to its outputs. */
public record StepResult(int attempt, int exitCode, List<ArtifactRef> outputs) {
  public StepResult {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }
}
