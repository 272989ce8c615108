package io.baton.server.api;

import java.util.Map;

/** {@code POST /api/v1/runs/{id}/resume}: parameter overrides, optional. */
public record ResumeRequest(Map<String, Object> parameters) {}
