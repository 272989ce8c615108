package io.baton.server.db;

/** A row of {@code tokens}: the secret itself is never stored, only its sha256. */
public record TokenRow(
        String id,
        String name,
        String kind,
        boolean admin,
        String secretSha256,
        String createdBy,
        long createdAt,
        Long expiresAt,
        Long revokedAt) {}
