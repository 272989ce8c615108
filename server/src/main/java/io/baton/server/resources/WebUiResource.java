package io.baton.server.resources;

import io.baton.server.auth.Public;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * The web UI's files (module {@code ui/}, built into the jar under {@code io/baton/ui/}), public like any page's
 * files: they hold no data; the page asks the API for everything with the tab's bearer token. The page's hashed
 * files: {@link WebUiAssetsResource}.
 */
@Path("/")
public final class WebUiResource {
    /** The page's own files only; no inline script or style; the API on the same origin. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
            + " connect-src 'self'; font-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none';"
            + " form-action 'self'";

    static final String ROOT = "/io/baton/ui/";

    @GET
    @Public
    @Produces(MediaType.TEXT_HTML)
    @ApiResponse(
            responseCode = "200",
            description = "the web UI's page",
            content = @Content(schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response page() {
        // no-cache: the page names the current build's hashed files, so a new server's page is taken at once
        return file(ROOT + "index.html", "text/html; charset=utf-8", "no-cache");
    }

    static Response file(String resource, String type, String cache) {
        InputStream in = WebUiResource.class.getResourceAsStream(resource);
        if (in == null) {
            throw new NotFoundException();
        }
        return Response.ok(in, type)
                .header("Cache-Control", cache)
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Frame-Options", "DENY")
                .build();
    }
}
