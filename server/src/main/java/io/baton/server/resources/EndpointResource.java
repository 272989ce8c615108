package io.baton.server.resources;

import io.baton.server.api.EndpointRequest;
import io.baton.server.api.EndpointView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.endpoints.EndpointService;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** {@code /api/v1/endpoints}: deploy a model version, roll out, canary, promote, roll back, delete. */
@Path("/api/v1/endpoints")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class EndpointResource {
    private final EndpointService endpoints;

    public EndpointResource(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @GET
    public Page<EndpointView> list(@QueryParam("project") String project, @Auth Caller caller) {
        return new Page<>(endpoints.list(project, caller), null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the endpoint made",
            content = @Content(schema = @Schema(implementation = EndpointView.class)))
    public Response create(EndpointRequest request, @Auth Caller caller) {
        EndpointView view = endpoints.create(request, caller);
        return Response.created(URI.create("/api/v1/endpoints/" + view.name() + "?project=" + view.project()))
                .entity(view)
                .build();
    }

    @GET
    @Path("{name}")
    public EndpointView get(
            @PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return endpoints.get(project, name, caller);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public EndpointView update(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            EndpointRequest request,
            @Auth Caller caller) {
        return endpoints.update(project, name, request, caller);
    }

    @POST
    @Path("{name}/promote")
    public EndpointView promote(
            @PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return endpoints.promote(project, name, caller);
    }

    @POST
    @Path("{name}/rollback")
    public EndpointView rollback(
            @PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return endpoints.rollback(project, name, caller);
    }

    @DELETE
    @Path("{name}")
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response delete(@PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        endpoints.delete(project, name, caller);
        return Response.noContent().build();
    }
}
