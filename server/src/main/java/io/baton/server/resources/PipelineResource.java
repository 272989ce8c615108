package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.Page;
import io.baton.server.api.PipelineRegistration;
import io.baton.server.api.PipelineView;
import io.baton.server.api.ValidationView;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Projects;
import io.baton.server.runs.PipelineService;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code /api/v1/pipelines}: register specs by name (each new content a new version), list them, validate. */
@Path("/api/v1/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class PipelineResource {
    private final PipelineService pipelines;
    private final Access access;

    public PipelineResource(PipelineService pipelines, Access access) {
        this.pipelines = pipelines;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the pipeline version made",
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the same pipeline version existed already",
            content = @Content(schema = @Schema(implementation = PipelineView.class)))
    public Response register(PipelineRegistration request, @Auth Caller caller) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'spec' (and optionally 'project')");
        }
        access.require(caller, Projects.check(request.project()), Permission.WRITE);
        var registered = pipelines.register(request.project(), request.spec(), caller.name());
        PipelineView view = registered.pipeline();
        return Responses.createdOrExisting(
                registered.created(),
                "/api/v1/pipelines/" + view.name() + "/versions/" + view.version() + "?project=" + view.project(),
                view);
    }

    @POST
    @Path("validate")
    @Consumes(MediaType.APPLICATION_JSON)
    public ValidationView validate(PipelineRegistration request) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'spec'");
        }
        return pipelines.validate(request.spec());
    }

    @GET
    public Page<PipelineView> list(@QueryParam("project") String project, @Auth Caller caller) {
        access.require(caller, Projects.check(project), Permission.READ);
        return new Page<>(pipelines.list(project), null);
    }

    @GET
    @Path("{name}/versions")
    public Page<PipelineView> versions(
            @PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        access.require(caller, Projects.check(project), Permission.READ);
        return new Page<>(pipelines.versions(project, name), null);
    }

    @GET
    @Path("{name}/versions/{version}")
    public PipelineView version(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        access.require(caller, Projects.check(project), Permission.READ);
        return pipelines.version(project, name, version);
    }
}
