package io.baton.server.db;

/** A row of {@code models}; {@code tags} is a JSON object, {@code protectedAliases} a JSON list of alias names. */
public record ModelRow(
        String project,
        String name,
        String description,
        String tags,
        String protectedAliases,
        String createdBy,
        String createdById,
        long createdAt,
        long updatedAt) {}
