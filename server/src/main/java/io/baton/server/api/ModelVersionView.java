package io.baton.server.api;

import io.baton.workflows.ArtifactRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A version of a model: the files of a run's step ({@code run}, {@code step}), the last value of each metric of
 * that run, its review status (PENDING, APPROVED, REJECTED: who, why, when) and the aliases pointing at it.
 */
public record ModelVersionView(
        String model,
        int version,
        String project,
        String run,
        String step,
        List<ArtifactRef> files,
        Map<String, Double> metrics,
        String description,
        Map<String, String> tags,
        String status,
        String statusBy,
        String statusNote,
        Instant statusAt,
        List<String> aliases,
        String createdBy,
        Instant createdAt,
        String createdById,
        String statusById) {}
