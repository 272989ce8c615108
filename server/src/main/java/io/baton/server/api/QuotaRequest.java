package io.baton.server.api;

/**
 * {@code PUT /api/v1/quotas/users/{name}} and {@code .../projects/{p}}: at most {@code steps} steps and {@code gpus}
 * GPUs running at once (null: no cap); for a project also its {@code share} of its pools' fair queues (null: 1).
 */
public record QuotaRequest(Integer steps, Integer gpus, Double share) {}
