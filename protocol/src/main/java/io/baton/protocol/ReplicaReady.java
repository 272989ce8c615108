package io.baton.protocol;

/**
 * A replica of an endpoint answers its health path: {@code address} ({@code host:port}) is where the servers reach
 * it. Sent by the worker that runs it, to {@code POST /api/v1/workers/{worker}/replicas/{replicaId}}.
 */
public record ReplicaReady(String address) {}
