package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.Projects;
import io.baton.server.serving.ServeAnswer;
import io.baton.server.serving.ServeProxy;
import io.baton.server.serving.ServeRequest;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * {@code ANY /serve/{project}/{name}[/{path}]}: a request to an endpoint, forwarded to one of its replicas by
 * {@link ServeProxy} (the caller needs to read the project). See docs/endpoints.md, "Traffic".
 */
@Path("/serve/{project}/{name}")
@RolesAllowed(Caller.USER)
public final class ServeResource {
    private static final String REST = "{path: .*}";
    private final ServeProxy proxy;

    public ServeResource(ServeProxy proxy) {
        this.proxy = proxy;
    }

    @GET
    public Response get(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @GET
    @Path(REST)
    public Response getPath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @POST
    public Response post(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @POST
    @Path(REST)
    public Response postPath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @PUT
    public Response put(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @PUT
    @Path(REST)
    public Response putPath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @PATCH
    public Response patch(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @PATCH
    @Path(REST)
    public Response patchPath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @DELETE
    public Response delete(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @DELETE
    @Path(REST)
    public Response deletePath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @HEAD
    public Response head(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @HEAD
    @Path(REST)
    public Response headPath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @OPTIONS
    public Response options(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    @OPTIONS
    @Path(REST)
    public Response optionsPath(
            @Auth Caller c,
            @PathParam("project") String p,
            @PathParam("name") String n,
            @Context ContainerRequestContext r) {
        return forward(c, p, n, r);
    }

    private Response forward(Caller caller, String project, String name, ContainerRequestContext r) {
        URI requested = r.getUriInfo().getRequestUri();
        byte[] bytes;
        try (InputStream body = r.getEntityStream()) {
            bytes = body == null ? new byte[0] : body.readAllBytes(); // bounded by RequestLimits
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String rest = rest(r.getUriInfo().getBaseUri().getRawPath(), requested.getRawPath());
        ServeRequest request = new ServeRequest(r.getMethod(), rest, requested.getRawQuery(), r.getHeaders(), bytes);
        ServeAnswer answer = proxy.forward(caller, Projects.check(project), name, request);
        Response.ResponseBuilder out = Response.status(answer.status());
        answer.headers().forEach((header, values) -> values.forEach(v -> out.header(header, v)));
        // the answer is the serving code's, on Baton's origin: a page it sends runs in a sandbox, never as Baton's UI
        return out.header(ServeProxy.VERSION_HEADER, answer.version())
                .header(ServeProxy.REPLICA_HEADER, answer.replicaId())
                .header("Content-Security-Policy", "sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .entity(answer.body())
                .build();
    }

    /** The raw path after {@code /serve/<project>/<name>/}, as the client encoded it ("" for the endpoint's root). */
    private static String rest(String base, String rawPath) {
        String p = rawPath.startsWith(base) ? rawPath.substring(base.length()) : rawPath;
        p = p.startsWith("/") ? p.substring(1) : p; // serve/<project>/<name>[/rest]
        int at = 0;
        for (int slashes = 0; slashes < 3; slashes++) {
            at = p.indexOf('/', at);
            if (at < 0) {
                return "";
            }
            at++;
        }
        return p.substring(at);
    }
}
