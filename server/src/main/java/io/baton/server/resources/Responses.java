package io.baton.server.resources;

import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Answers shared by the routes that make something. */
final class Responses {
    private Responses() {}

    /**
     * 201 with {@code Location} when the call made {@code entity}; 200 with it when the same thing existed already
     * (the same bytes, spec, files or idempotency key).
     */
    static Response createdOrExisting(boolean created, String location, Object entity) {
        return created ? created(location, entity) : Response.ok(entity).build();
    }

    /** 201 with {@code entity} and its {@code Location}. */
    static Response created(String location, Object entity) {
        return Response.created(URI.create(location)).entity(entity).build();
    }
}
