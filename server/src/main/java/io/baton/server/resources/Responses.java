package io.baton.server.resources;

import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Answers shared by the routes that make something which may exist already. */
final class Responses {
    private Responses() {}

    /**
     * 201 with {@code Location} when the call made {@code entity}; 200 with it when the same thing existed already
     * (the same bytes, spec, files or idempotency key).
     */
    static Response createdOrExisting(boolean created, String location, Object entity) {
        return created
                ? Response.created(URI.create(location)).entity(entity).build()
                : Response.ok(entity).build();
    }
}
