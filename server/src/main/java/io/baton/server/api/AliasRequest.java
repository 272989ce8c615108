package io.baton.server.api;

/** {@code PUT /api/v1/models/{name}/aliases/{alias}}: the version to point at ({@code model} optional, checked). */
public record AliasRequest(String model, Integer version) {}
