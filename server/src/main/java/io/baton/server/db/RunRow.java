package io.baton.server.db;

/** A row of {@code runs}. */
public record RunRow(
        String id,
        String project,
        String pipeline,
        Integer pipelineVersion,
        String status,
        String workflowId,
        String bundle,
        String spec,
        String specSha256,
        String parameters,
        String plan,
        int priority,
        String createdBy,
        long createdAt,
        Long startedAt,
        Long finishedAt,
        String message,
        String resumedFrom,
        String reproducedFrom,
        String idempotencyKey) {}
