package io.baton.server.db;

/** A row of {@code users}: a person or a service account (no password). The password is kept as its hash only. */
public record UserRow(
        String id,
        String name,
        String email,
        String passwordHash,
        boolean admin,
        String oidcSubject,
        String createdBy,
        long createdAt,
        Long disabledAt) {}
