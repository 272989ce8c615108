package io.baton.server.resources;

import io.baton.server.auth.Public;
import io.baton.server.oidc.OidcLogin;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/login/methods}: how one may sign in here (the web UI's sign-in page asks before it shows). */
@Path("/api/v1/login/methods")
@Produces(MediaType.APPLICATION_JSON)
public final class SignInMethodsResource {
    /** {@code oidc}: whether {@code GET /api/v1/login/oidc} is configured; a password and a token always work. */
    public record SignInMethods(boolean password, boolean token, boolean oidc) {}

    private final OidcLogin oidc;

    public SignInMethodsResource(OidcLogin oidc) {
        this.oidc = oidc;
    }

    @GET
    @Public
    @ApiResponse(
            responseCode = "200",
            description = "the sign-in methods this server offers",
            content = @Content(schema = @Schema(implementation = SignInMethods.class)))
    public SignInMethods methods() {
        return new SignInMethods(true, true, oidc.enabled());
    }
}
