package io.baton.server.api;

/**
 * {@code POST /api/v1/tokens}. {@code expiresAt} is read as text (ISO-8601): a JSON number would be taken as epoch
 * seconds of any size, and {@code 1e30000000} seconds cost minutes of CPU to convert.
 */
public record TokenRequest(String kind, String name, String expiresAt, Boolean admin) {}
