package io.baton.server.db;

/** A row of {@code model_aliases}: where an alias points now. */
public record ModelAliasRow(String model, String alias, int version, String movedBy, long movedAt) {}
