package io.baton.protocol;

/** One attempt a worker is running now. */
public record RunningStep(String runId, String step, int attempt) {}
