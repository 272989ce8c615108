package io.baton.server.openapi;

import io.baton.server.auth.Public;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /api/v1/openapi.json}, the API's OpenAPI document, and {@code /api/v1/docs}, Swagger UI's page for it
 * (its files from the swagger-ui webjar); public, like health: they describe the routes, they give none.
 */
@Path("/api/v1")
public final class OpenApiResource {
    /** What the page may load: its own files only; Swagger UI styles some elements inline. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final Map<String, String> FILES = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "favicon-32x32.png", "image/png");
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    private static final String OWN = "/io/baton/server/openapi/";

    private final OpenApiDocument document;

    public OpenApiResource(OpenApiDocument document) {
        this.document = document;
    }

    @GET
    @Path("openapi.json")
    @Public
    @Produces(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "200",
            description = "this document",
            content = @Content(schema = @Schema(type = "object")))
    public Response openapi() {
        return Response.ok(document.json()).build();
    }

    @GET
    @Path("docs")
    @Public
    @Produces(MediaType.TEXT_HTML)
    @ApiResponse(
            responseCode = "200",
            description = "Swagger UI's page for this document",
            content = @Content(schema = @Schema(type = "string")))
    public Response page() {
        return file(OWN + "docs.html", MediaType.TEXT_HTML);
    }

    @GET
    @Path("docs/{file}")
    @Public
    @Produces({"text/css", "text/javascript", "image/png"})
    @ApiResponse(
            responseCode = "200",
            description = "one of the page's files",
            content = @Content(schema = @Schema(type = "string", format = "binary")))
    public Response asset(@PathParam("file") String name) {
        if (name.equals("docs.js")) {
            return file(OWN + name, "text/javascript");
        }
        String type = FILES.get(name);
        if (type == null) {
            throw new NotFoundException();
        }
        return file(WEBJAR + name, type);
    }

    private static Response file(String resource, String type) {
        InputStream in = OpenApiResource.class.getResourceAsStream(resource);
        if (in == null) {
            throw new NotFoundException();
        }
        CacheControl cache = new CacheControl();
        cache.setMaxAge(3600);
        return Response.ok(in, type)
                .cacheControl(cache)
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }

    private static String webjarVersion() {
        try (InputStream in =
                OpenApiResource.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
