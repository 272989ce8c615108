package io.baton.server.api;

import java.util.Map;

/** {@code PATCH /api/v1/models/{name}/versions/{v}}: review status with a note, description, tags (replaced). */
public record ModelVersionPatch(String status, String note, String description, Map<String, String> tags) {}
