package io.baton.server.auth;

import io.baton.server.api.ErrorResponse;
import io.baton.server.core.ErrorCodes;
import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code Authorization: Bearer <token>} on every route but the {@link Public} ones: 401 in Baton's error shape. */
@Priority(Priorities.AUTHENTICATION)
public final class TokenAuthFilter extends AuthFilter<String, Caller> {
    static final String SCHEME = "Bearer";

    /** The filter for {@link TokenAuthFeature}: tokens checked by {@link TokenService}, roles by kind. */
    public static TokenAuthFilter create(TokenService tokens) {
        return new Builder()
                .setAuthenticator(new TokenAuthenticator(tokens))
                .setAuthorizer(new CallerAuthorizer())
                .setPrefix(SCHEME)
                .setRealm("baton")
                .buildAuthFilter();
    }

    private TokenAuthFilter() {}

    @Override
    public void filter(ContainerRequestContext request) {
        // unlike OAuthCredentialAuthFilter, a token is never read from the query string (it would reach logs)
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String secret = header != null && header.regionMatches(true, 0, SCHEME + " ", 0, SCHEME.length() + 1)
                ? header.substring(SCHEME.length() + 1).trim()
                : null;
        if (!authenticate(request, secret, SCHEME)) {
            request.abortWith(Response.status(401)
                    .header(HttpHeaders.WWW_AUTHENTICATE, SCHEME + " realm=\"" + realm + "\"")
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorResponse(
                            ErrorCodes.UNAUTHORIZED,
                            header == null
                                    ? "this route needs 'Authorization: Bearer <token>'; local mode writes an admin token to $BATON_DATA_DIR/admin.token"
                                    : "the token is unknown, revoked or expired",
                            List.of()))
                    .build());
        }
    }

    private static final class Builder extends AuthFilterBuilder<String, Caller, TokenAuthFilter> {
        @Override
        protected TokenAuthFilter newInstance() {
            return new TokenAuthFilter();
        }
    }
}
