package io.baton.workflows;

/** How a run ended. */
public record RunOutcome(String runId, RunStatus status, String message) {}
