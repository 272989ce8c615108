package io.baton.server.api;

import java.time.Instant;

/** A session token (shown once; a bearer token like any other), when it expires, and whose it is. */
public record LoginView(String token, Instant expiresAt, UserView user) {}
