package io.baton.workflows;

import java.util.List;

/**
 * How a step ended, as the workflow saw it; {@code exitCode} null when no process said. {@code outputs} are what
 * it hands on (set when it SUCCEEDED or was CACHED), {@code cacheKey} its cache key when it has one.
 */
public record StepOutcome(String runId, String step, StepStatus status, Integer exitCode, String message,
                          List<ArtifactRef> outputs, String cacheKey) {
  public StepOutcome {
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
  }

  public StepOutcome(String runId, String step, StepStatus status, Integer exitCode, String message) {
    this(runId, step, status, exitCode, message, List.of(), null);
  }
}
