package io.baton.server.db;

import org.jdbi.v3.core.mapper.reflect.JdbiConstructor;

/**
 * A row of {@code tokens}: the secret itself is never stored, only its sha256. A user or session token belongs to
 * {@code userId}; a worker token names its worker and, in {@code pools} (comma-separated), the pools it may serve
 * (null: any).
 */
public record TokenRow(
        String id,
        String name,
        String kind,
        boolean admin,
        String secretSha256,
        String createdBy,
        long createdAt,
        Long expiresAt,
        Long revokedAt,
        String userId,
        String pools,
        Long lastUsedAt) {
    @JdbiConstructor
    public TokenRow {}

    public TokenRow(
            String id,
            String name,
            String kind,
            boolean admin,
            String secretSha256,
            String createdBy,
            long createdAt,
            Long expiresAt,
            Long revokedAt) {
        this(id, name, kind, admin, secretSha256, createdBy, createdAt, expiresAt, revokedAt, null, null, null);
    }
}
