package io.baton.server.db;

/** An endpoint's routing fields (a part of a row of {@code endpoints}). */
public record EndpointRouteRow(
        String id,
        String status,
        String message,
        int revision,
        Integer stableRevision,
        Integer canaryRevision,
        Integer canaryPercent) {}
