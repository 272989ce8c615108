package io.baton.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An endpoint as the API shows it: its status and why, the model version that takes its traffic ({@code version}),
 * the canary, its replicas, where to call it, and which versions served when.
 */
public record EndpointView(
        String name,
        String project,
        String status,
        String message,
        String model,
        Integer version,
        Canary canary,
        List<Replica> replicas,
        String url,
        List<History> history,
        Desired desired,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {
    /** The canary's version, its share of the requests, and whether its replicas take traffic yet. */
    public record Canary(int version, int percent, boolean serving) {}

    public record Replica(
            String id, String worker, int version, int revision, String status, String message, Instant startedAt) {}

    public record History(int version, Instant from, Instant to, String by) {}

    /** What the endpoint was last asked to serve, and how. */
    public record Desired(
            int revision,
            int version,
            String bundle,
            List<String> command,
            String pool,
            int replicas,
            String health,
            String healthTimeout,
            double cpus,
            long memoryBytes,
            int gpus,
            Map<String, String> env) {}
}
