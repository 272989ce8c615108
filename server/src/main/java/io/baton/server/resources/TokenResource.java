package io.baton.server.resources;

import io.baton.server.api.Page;
import io.baton.server.api.TokenRequest;
import io.baton.server.api.TokenView;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/v1/tokens}: users issue, list and revoke their own tokens; global admins also worker tokens. */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class TokenResource {
    private final TokenService tokens;

    public TokenResource(TokenService tokens) {
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the token (its secret shown once) made",
            content = @Content(schema = @Schema(implementation = TokenView.class)))
    public Response create(TokenRequest request, @Auth Caller caller) {
        TokenView token = tokens.create(request, caller);
        return Responses.created("/api/v1/tokens/" + token.id(), token);
    }

    @GET
    public Page<TokenView> list(@Auth Caller caller) {
        return new Page<>(tokens.list(caller), null);
    }

    @DELETE
    @Path("{id}")
    @ApiResponse(responseCode = "204", description = "revoked")
    public Response revoke(@PathParam("id") String id, @Auth Caller caller) {
        tokens.revoke(id, caller);
        return Response.noContent().build();
    }
}
