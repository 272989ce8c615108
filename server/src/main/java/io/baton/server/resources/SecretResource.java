package io.baton.server.resources;

import io.baton.server.api.Page;
import io.baton.server.api.SecretRequest;
import io.baton.server.api.SecretView;
import io.baton.server.auth.Caller;
import io.baton.server.secrets.SecretService;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/v1/projects/{p}/secrets}: a project's admins set, list (names only) and remove its secrets. */
@Path("/api/v1/projects/{project}/secrets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class SecretResource {
    private final SecretService secrets;

    public SecretResource(SecretService secrets) {
        this.secrets = secrets;
    }

    @GET
    public Page<SecretView> list(@PathParam("project") String project, @Auth Caller caller) {
        return new Page<>(secrets.list(project, caller), null);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the secret made",
            content = @Content(schema = @Schema(implementation = SecretView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the secret replaced",
            content = @Content(schema = @Schema(implementation = SecretView.class)))
    public Response put(
            @PathParam("project") String project,
            @PathParam("name") String name,
            SecretRequest request,
            @Auth Caller caller) {
        SecretService.Put put = secrets.put(project, name, request, caller);
        return Responses.createdOrExisting(
                put.created(), "/api/v1/projects/" + project + "/secrets/" + name, put.view());
    }

    @DELETE
    @Path("{name}")
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response delete(@PathParam("project") String project, @PathParam("name") String name, @Auth Caller caller) {
        secrets.delete(project, name, caller);
        return Response.noContent().build();
    }
}
