package io.baton.server.api;

import java.time.Instant;

/** A project secret as the API shows it: its name and who set it when, never its value. */
public record SecretView(
        String project,
        String name,
        String keyId,
        String createdBy,
        String createdById,
        Instant createdAt,
        String updatedBy,
        String updatedById,
        Instant updatedAt) {}
