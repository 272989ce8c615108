package io.baton.server.api;

import io.baton.workflows.ArtifactRef;
import java.time.Instant;
import java.util.List;

/** A version of a dataset: its files, and the run step it was made from when it came from one. */
public record DatasetVersionView(
        String dataset,
        int version,
        String project,
        List<ArtifactRef> files,
        long size,
        String run,
        String step,
        String description,
        String createdBy,
        Instant createdAt,
        String createdById) {}
