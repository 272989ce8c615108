package io.baton.server.resources;

import io.baton.server.auth.Public;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code /assets/{file}}: the web UI's scripts, styles and images, named by their content's hash, so cached for good. */
@Path("/assets")
public final class WebUiAssetsResource {
    private static final Pattern ASSET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "woff2", "font/woff2");

    @GET
    @Path("{file}")
    @Public
    @Produces({"text/javascript", "text/css", "image/svg+xml", "image/png", "font/woff2"})
    @ApiResponse(
            responseCode = "200",
            description = "one of the page's files (its name holds its content's hash)",
            content = @Content(schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response asset(@PathParam("file") String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null || !ASSET.matcher(name).matches()) {
            throw new NotFoundException();
        }
        return WebUiResource.file(WebUiResource.ROOT + "assets/" + name, type, "public, max-age=31536000, immutable");
    }
}
