package io.baton.server.db;

/** A row of {@code steps}. */
public record StepRow(
        String runId,
        String name,
        int stepOrder,
        String pool,
        String status,
        String reason,
        Integer exitCode,
        Long startedAt,
        Long finishedAt,
        String outputs,
        String cacheKey,
        String cachedFrom) {}
