package io.baton.server.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

/** The roles of {@code @RolesAllowed}: a caller's kind, all of them for an admin (see {@link Caller#hasRole}). */
public final class CallerAuthorizer implements Authorizer<Caller> {
    @Override
    public boolean authorize(Caller caller, String role, ContainerRequestContext request) {
        // an attempt token reads as its run's submitter does, and writes nothing but its own attempt's output
        return caller.hasRole(role) || (caller.attempt() != null && role.equals(Caller.USER) && reads(request));
    }

    private static boolean reads(ContainerRequestContext request) {
        return request != null
                && (request.getMethod().equals("GET") || request.getMethod().equals("HEAD"));
    }
}
