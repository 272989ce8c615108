package io.baton.server.db;

/** A row of {@code attempts}. */
public record AttemptRow(
        String runId,
        String step,
        int number,
        String status,
        String worker,
        Integer exitCode,
        String message,
        long startedAt,
        Long finishedAt,
        long logBytes) {}
