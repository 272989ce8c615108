package io.baton.server.db;

/** A row of {@code datasets}: a dataset, named within its project. */
public record DatasetRow(
        String project, String name, String description, String createdBy, String createdById, long createdAt) {}
