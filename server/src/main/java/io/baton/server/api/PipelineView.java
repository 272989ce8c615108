package io.baton.server.api;

import java.time.Instant;

/** A registered pipeline version; {@code spec} is left out of lists. */
public record PipelineView(
        String project,
        String name,
        int version,
        String specSha256,
        String createdBy,
        Instant createdAt,
        String spec) {}
