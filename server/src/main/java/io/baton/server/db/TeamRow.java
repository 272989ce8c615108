package io.baton.server.db;

/** A row of {@code teams}. */
public record TeamRow(String name, String description, String createdBy, long createdAt) {}
