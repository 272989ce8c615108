package io.baton.server.resources;

import io.baton.server.api.LoginView;
import io.baton.server.auth.Public;
import io.baton.server.oidc.OidcLogin;
import io.baton.server.oidc.SignInPage;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** OIDC sign-in ({@code docs/security.md}): the redirect to the issuer and its callback, both public. */
@Path("/api/v1/login/oidc")
@Produces(MediaType.APPLICATION_JSON)
public final class OidcResource {
    private static final String NO_STORE = "no-store";
    private final OidcLogin login;

    public OidcResource(OidcLogin login) {
        this.login = login;
    }

    /**
     * 302 to the issuer's sign-in; with {@code redirect} (the web UI's path to go to afterwards), a page that first
     * keeps the sign-in's state in the tab, so that only this tab takes the token at the end.
     */
    @GET
    @Public
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @ApiResponse(responseCode = "302", description = "to the issuer's sign-in")
    @ApiResponse(
            responseCode = "200",
            description = "with redirect: a page that goes to the issuer",
            content = @Content(mediaType = "text/html", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    @ApiResponse(responseCode = "502", ref = "#/components/responses/BadGateway")
    public Response start(@QueryParam("redirect") String redirect) {
        OidcLogin.Started started = login.start(redirect);
        if (started.redirect() == null) {
            return Response.status(Response.Status.FOUND)
                    .location(started.authorization())
                    .header("Cache-Control", NO_STORE)
                    .header("Referrer-Policy", "no-referrer")
                    .build();
        }
        return page(SignInPage.starting(started.authorization(), started.state()));
    }

    /**
     * The issuer sends the browser here: a session token as JSON, or (when the sign-in named a {@code redirect}) a
     * page that hands it to the web UI.
     */
    @GET
    @Path("callback")
    @Public
    @Produces({MediaType.APPLICATION_JSON, MediaType.TEXT_HTML})
    @ApiResponse(
            responseCode = "200",
            description = "a session token (or, for the web UI, a page that keeps it)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = LoginView.class)))
    @ApiResponse(responseCode = "502", ref = "#/components/responses/BadGateway")
    public Response callback(
            @QueryParam("code") String code,
            @QueryParam("state") String state,
            @QueryParam("error") String error,
            @QueryParam("error_description") String errorDescription,
            @QueryParam("iss") String iss) {
        OidcLogin.Finished done = login.finish(code, state, error, errorDescription, iss);
        if (done.redirect() == null) {
            return Response.ok(done.login(), MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", NO_STORE)
                    .build();
        }
        return page(SignInPage.finishing(done.login().token(), state, done.redirect()));
    }

    private static Response page(SignInPage page) {
        return Response.ok(page.html(), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Cache-Control", NO_STORE)
                .header("Content-Security-Policy", page.contentSecurityPolicy())
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
