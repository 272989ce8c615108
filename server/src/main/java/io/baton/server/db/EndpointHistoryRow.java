package io.baton.server.db;

/** A row of {@code endpoint_history}: a version that took an endpoint's traffic, from when to when, moved by whom. */
public record EndpointHistoryRow(
        String endpointId, int seq, int version, int revision, long fromAt, Long toAt, String movedBy) {}
