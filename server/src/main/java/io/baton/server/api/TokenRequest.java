package io.baton.server.api;

import java.util.List;

/**
 * {@code POST /api/v1/tokens}. {@code expiresAt} is read as text (ISO-8601): a JSON number would be taken as epoch
 * seconds of any size, and {@code 1e30000000} seconds cost minutes of CPU to convert. A user token belongs to the
 * caller, or (global admins) to {@code user}; a worker token may be limited to {@code pools}.
 */
public record TokenRequest(
        String kind, String name, String expiresAt, Boolean admin, String user, List<String> pools) {}
