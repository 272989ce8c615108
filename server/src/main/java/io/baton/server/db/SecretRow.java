package io.baton.server.db;

/** A row of {@code secrets}: a project secret's sealed value (never its plain text) and who set it. */
public record SecretRow(
        String project,
        String name,
        String ciphertext,
        String keyId,
        String createdBy,
        String createdById,
        long createdAt,
        String updatedBy,
        String updatedById,
        long updatedAt) {}
