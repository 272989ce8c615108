package io.baton.server.api;

import java.util.Map;

/** {@code POST /api/v1/runs}: a spec (or, later, a registered pipeline), a code bundle and parameter values. */
public record RunSubmission(
        String project,
        String spec,
        String pipeline,
        Integer pipelineVersion,
        String bundle,
        Map<String, Object> parameters,
        Integer priority) {}
