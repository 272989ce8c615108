package io.baton.server.api;

/** {@code POST /api/v1/users}: a user; without a password, a service account (tokens only). */
public record UserRequest(String name, String email, String password, Boolean admin) {}
