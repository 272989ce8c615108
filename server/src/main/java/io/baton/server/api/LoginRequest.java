package io.baton.server.api;

/** {@code POST /api/v1/login}. */
public record LoginRequest(String name, String password) {}
