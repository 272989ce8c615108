package io.baton.server.db;

/**
 * A row of {@code endpoints}: what is asked for ({@code revision}, the target canary, {@code replicas},
 * {@code deleting}) and what is ({@code status}, {@code stableRevision}, {@code canaryRevision} and its share).
 */
public record EndpointRow(
        String id,
        String project,
        String name,
        String model,
        String modelProject,
        String modelName,
        String alias,
        String pool,
        int replicas,
        int revision,
        Integer targetCanaryRevision,
        Integer targetCanaryPercent,
        boolean deleting,
        String status,
        String message,
        Integer stableRevision,
        Integer canaryRevision,
        Integer canaryPercent,
        String createdBy,
        String createdById,
        long createdAt,
        long updatedAt) {}
