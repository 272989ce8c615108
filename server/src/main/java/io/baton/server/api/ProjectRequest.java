package io.baton.server.api;

/** {@code POST /api/v1/projects}. */
public record ProjectRequest(String name, String description) {}
