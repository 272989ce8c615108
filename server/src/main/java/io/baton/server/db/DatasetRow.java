package io.baton.server.db;

/** A row of {@code datasets}. */
public record DatasetRow(String name, String project, String description, String createdBy, long createdAt) {}
