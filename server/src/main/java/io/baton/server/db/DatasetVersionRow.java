package io.baton.server.db;

/** A row of {@code dataset_versions}; the source run and step are null for uploaded files and stored blobs. */
public record DatasetVersionRow(
        String project,
        String dataset,
        int version,
        String sourceRun,
        String sourceStep,
        String description,
        String createdBy,
        String createdById,
        long createdAt) {}
