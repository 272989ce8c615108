package io.baton.server.db;

/** A row of {@code models}; {@code tags} is a JSON object. */
public record ModelRow(
        String name,
        String project,
        String description,
        String tags,
        String createdBy,
        long createdAt,
        long updatedAt) {}
