package io.baton.server.db;

/** A row of {@code step_inputs}: one file a step was given; {@code producer} is empty for a file from outside. */
public record StepInputRow(
        String runId,
        String step,
        String inputName,
        String producer,
        String path,
        String pathSha256,
        String sha256,
        long sizeBytes,
        String source) {}
