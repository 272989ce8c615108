package io.baton.server.api;

/** {@code PUT /api/v1/projects/{p}/secrets/{NAME}}: the value, never answered back. */
public record SecretRequest(String value) {
    /** Logged requests and errors never show the value. */
    @Override
    public String toString() {
        return "SecretRequest[value=<redacted>]";
    }
}
