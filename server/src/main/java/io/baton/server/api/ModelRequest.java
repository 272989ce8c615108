package io.baton.server.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/models} and {@code PATCH /api/v1/models/{name}} (where name and project are ignored);
 * {@code protectedAliases} (default {@code [production]}) only a project admin may set.
 */
public record ModelRequest(
        String name, String project, String description, Map<String, String> tags, List<String> protectedAliases) {}
