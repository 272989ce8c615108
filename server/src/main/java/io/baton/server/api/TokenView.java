package io.baton.server.api;

import java.time.Instant;
import java.util.List;

/** A token as listed: never its secret. {@code token} is set only in the answer that creates it. */
public record TokenView(
        String id,
        String name,
        String kind,
        boolean admin,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        String user,
        List<String> pools,
        Instant lastUsedAt,
        String token) {}
