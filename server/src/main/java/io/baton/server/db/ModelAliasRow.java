package io.baton.server.db;

/** A row of {@code model_aliases}: where an alias points now. */
public record ModelAliasRow(
        String project, String model, String alias, int version, String movedBy, String movedById, long movedAt) {}
