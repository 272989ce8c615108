package io.baton.server.api;

import java.time.Instant;

/** A dataset: a named, versioned set of files; {@code latestVersion} null before its first version. */
public record DatasetView(
        String name,
        String project,
        String description,
        String createdBy,
        Instant createdAt,
        Integer latestVersion,
        String createdById) {}
