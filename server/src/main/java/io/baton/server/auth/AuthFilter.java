package io.baton.server.auth;

import io.baton.server.api.ErrorResponse;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.List;

/**
 * Every route needs {@code Authorization: Bearer <token>} except the health route: 401 without a valid token.
 * What a token may do is then decided by {@code @RolesAllowed} on the resources (403 when not allowed).
 */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    private static final String PUBLIC_PATH = "api/v1/health";
    /** The Temporal UI's codec route (TemporalCodecResource): its browser preflight carries no token. */
    private static final String CODEC_PATH = "api/v1/temporal/codec/";

    private final TokenService tokens;

    public AuthFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    /** A browser asks before it sends the token: the Temporal UI's preflight of the codec route. */
    private static boolean isCodecPreflight(ContainerRequestContext request, String path) {
        return request.getMethod().equals("OPTIONS") && path.startsWith(CODEC_PATH);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath().replaceAll("^/+", "");
        if (path.equals(PUBLIC_PATH) || isCodecPreflight(request, path)) {
            return;
        }
        String header = request.getHeaderString("Authorization");
        String secret = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim()
                : null;
        Caller caller = tokens.authenticate(secret).orElse(null);
        if (caller == null) {
            request.abortWith(Response.status(401)
                    .header("WWW-Authenticate", "Bearer realm=\"baton\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorResponse(
                            "unauthorized",
                            header == null
                                    ? "this route needs 'Authorization: Bearer <token>'; local mode writes an admin token to $BATON_DATA_DIR/admin.token"
                                    : "the token is unknown, revoked or expired",
                            List.of()))
                    .build());
            return;
        }
        boolean read = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        boolean secure = request.getSecurityContext() != null
                && request.getSecurityContext().isSecure();
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return caller;
            }

            @Override
            public boolean isUserInRole(String role) {
                // an attempt token reads as its run's submitter does, and writes nothing but its own attempt's output
                return caller.hasRole(role) || (caller.attempt() != null && role.equals(Caller.USER) && read);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        });
    }
}
