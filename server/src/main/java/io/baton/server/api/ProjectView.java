package io.baton.server.api;

import java.time.Instant;

/** A project, with the caller's own role in it. */
public record ProjectView(
        String name, String description, String createdBy, String createdById, Instant createdAt, String role) {}
