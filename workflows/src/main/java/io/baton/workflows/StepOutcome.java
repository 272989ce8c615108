package io.baton.workflows;

/** How a step ended, as the workflow saw it; {@code exitCode} null when no process said. */
public record StepOutcome(String runId, String step, StepStatus status, Integer exitCode, String message) {
}
