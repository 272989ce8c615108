package io.baton.server.api;

/** {@code GET /api/v1/health}: "ok" once the database and Temporal answer. */
public record HealthView(String status, String database, String temporal, String version) {}
