package io.baton.server.api;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/endpoints} and {@code PUT /api/v1/endpoints/{name}}: on a PUT every field is optional and what
 * is sent replaces what was (a new model, command, bundle, environment, health path or resources is a rollout).
 */
public record EndpointRequest(
        String name,
        String project,
        String model,
        String bundle,
        List<String> command,
        String pool,
        Integer replicas,
        String health,
        String healthTimeout,
        Double cpus,
        String memory,
        Integer gpus,
        Map<String, String> env,
        Canary canary) {
    /** A canary: {@code version} of the same model takes {@code percent} of the requests until promoted. */
    public record Canary(Integer version, Integer percent) {}
}
