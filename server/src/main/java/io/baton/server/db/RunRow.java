package io.baton.server.db;

import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

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
        String idempotencyKey,
        String createdById) {
    @JdbiConstructor
    public RunRow {}

    /** A run without its submitter's user id (written before users existed, or by a test). */
    public RunRow(
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
            String idempotencyKey) {
        this(
                id,
                project,
                pipeline,
                pipelineVersion,
                status,
                workflowId,
                bundle,
                spec,
                specSha256,
                parameters,
                plan,
                priority,
                createdBy,
                createdAt,
                startedAt,
                finishedAt,
                message,
                resumedFrom,
                reproducedFrom,
                idempotencyKey,
                null);
    }
}
