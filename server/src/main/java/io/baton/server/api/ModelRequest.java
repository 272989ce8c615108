package io.baton.server.api;

import java.util.Map;

/** {@code POST /api/v1/models} and {@code PATCH /api/v1/models/{name}} (where name and project are ignored). */
public record ModelRequest(String name, String project, String description, Map<String, String> tags) {}
