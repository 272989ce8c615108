package io.baton.server.api;

import java.time.Instant;

/** A user as shown: never the password's hash. {@code serviceAccount}: no password (tokens only). */
public record UserView(
        String id,
        String name,
        String email,
        boolean admin,
        boolean serviceAccount,
        boolean oidc,
        String createdBy,
        Instant createdAt,
        Instant disabledAt) {}
