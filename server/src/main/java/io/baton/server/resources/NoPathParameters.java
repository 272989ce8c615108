package io.baton.server.resources;

import io.baton.server.core.BatonException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;

/**
 * Refuses a path with {@code ;} in it: matching would drop what follows it in a segment as a matrix parameter, so that
 * {@code PUT .../aliases/a;b=c} moved alias {@code a}. A name with a {@code ;} is sent encoded ({@code %3B}).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 200)
public final class NoPathParameters implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
        String raw = request.getUriInfo().getRequestUri().getRawPath();
        if (raw != null && raw.indexOf(';') >= 0) {
            throw BatonException.badRequest("a path may not hold ';' (Baton's routes take no matrix parameters);"
                    + " send a ';' in a name as %3B");
        }
    }
}
