package io.baton.server.api;

import java.util.Map;

/**
 * {@code POST /api/v1/models/{name}/versions}: the outputs of step {@code step} of run {@code run} matching
 * {@code path} (a file or glob; every output when left out) become a new version.
 */
public record ModelVersionRequest(String run, String step, String path, String description, Map<String, String> tags) {}
