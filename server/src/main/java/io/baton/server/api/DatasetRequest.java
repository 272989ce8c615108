package io.baton.server.api;

/** {@code POST /api/v1/datasets}. */
public record DatasetRequest(String name, String project, String description) {}
