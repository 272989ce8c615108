package io.baton.server.api;

/** {@code POST /api/v1/teams}. */
public record TeamRequest(String name, String description) {}
