package io.baton.server.api;

import java.time.Instant;

/** {@code POST /api/v1/tokens}. */
public record TokenRequest(String kind, String name, Instant expiresAt, Boolean admin) {
}
