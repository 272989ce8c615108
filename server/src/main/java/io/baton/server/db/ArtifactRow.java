package io.baton.server.db;

/** A row of {@code artifacts}: one file an attempt left under its outputs folder. */
public record ArtifactRow(
        String runId, String step, int attempt, String path, String sha256, long sizeBytes, long createdAt) {}
