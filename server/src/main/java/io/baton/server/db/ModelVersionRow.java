package io.baton.server.db;

/** A row of {@code model_versions}; {@code tags} is a JSON object, {@code status} a review status. */
public record ModelVersionRow(
        String project,
        String model,
        int version,
        String sourceRun,
        String sourceStep,
        String description,
        String tags,
        String status,
        String statusBy,
        String statusById,
        String statusNote,
        Long statusAt,
        String createdBy,
        String createdById,
        long createdAt) {}
