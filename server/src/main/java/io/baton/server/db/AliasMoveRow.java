package io.baton.server.db;

/** A row of {@code model_alias_moves}; {@code fromVersion} is null when the alias was set first, {@code toVersion} when removed. */
public record AliasMoveRow(
        String project,
        String model,
        String alias,
        int seq,
        Integer fromVersion,
        Integer toVersion,
        String movedBy,
        String movedById,
        long movedAt) {}
