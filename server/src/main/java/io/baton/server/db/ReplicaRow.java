package io.baton.server.db;

/** A row of {@code endpoint_replicas}: one replica, where it runs once READY, and how it ended. */
public record ReplicaRow(
        String id,
        String endpointId,
        int revision,
        int version,
        String status,
        String worker,
        String address,
        String message,
        long startedAt,
        Long readyAt,
        Long endedAt) {}
