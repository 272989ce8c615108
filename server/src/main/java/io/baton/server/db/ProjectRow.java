package io.baton.server.db;

/** A row of {@code projects}. */
public record ProjectRow(String name, String description, String createdBy, String createdById, long createdAt) {}
