package io.baton.server.core;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Times a client sends. The database keeps epoch milliseconds, and ISO-8601 reads years far beyond what a long
 * of milliseconds holds, so a time is checked to lie within years 0000 to 9999 before it is used.
 */
public final class Instants {
    static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999Z");

    private Instants() {}

    /** {@code value} of the query parameter or field {@code name}, or null when it is absent. */
    public static Instant parse(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return checked(name, Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw BatonException.badRequest("'" + name + "' must be an ISO-8601 UTC time such as 2026-01-31T12:00:00Z");
        }
    }

    /** {@code time} when it is within years 0000 to 9999 (or null). */
    public static Instant checked(String name, Instant time) {
        if (time != null && (time.isBefore(FIRST) || time.isAfter(LAST))) {
            throw BatonException.badRequest("'" + name + "' must be a time from 0000-01-01T00:00:00Z to"
                    + " 9999-12-31T23:59:59.999Z, not " + time);
        }
        return time;
    }
}
