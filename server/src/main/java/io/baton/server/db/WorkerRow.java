package io.baton.server.db;

/** A row of {@code workers}; list-valued columns are JSON text. */
public record WorkerRow(
        String name,
        String pools,
        int cpus,
        long memoryBytes,
        String gpus,
        int slots,
        String info,
        boolean draining,
        String running,
        long registeredAt,
        long lastHeartbeatAt,
        boolean drainRequested) {}
