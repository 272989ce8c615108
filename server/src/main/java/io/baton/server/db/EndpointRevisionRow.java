package io.baton.server.db;

/** A row of {@code endpoint_revisions}: one version of what an endpoint serves, its spec as JSON. */
public record EndpointRevisionRow(
        String endpointId, int revision, int version, String spec, String createdBy, long createdAt) {}
