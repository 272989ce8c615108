package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.DatasetRequest;
import io.baton.server.api.DatasetVersionRequest;
import io.baton.server.api.DatasetVersionView;
import io.baton.server.api.DatasetView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.registry.DatasetRegistry;
import io.baton.server.registry.RegistryAccess;
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
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code /api/v1/datasets}: named, versioned sets of files that steps take as {@code dataset://} inputs, each in a
 * project ({@code ?project=}, default {@code default}): reading needs the viewer role there, writing the editor's.
 */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class DatasetResource {
    private final DatasetRegistry datasets;
    private final RegistryAccess access;

    public DatasetResource(DatasetRegistry datasets, RegistryAccess access) {
        this.datasets = datasets;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the dataset made",
            content = @Content(schema = @Schema(implementation = DatasetView.class)))
    public Response create(DatasetRequest request, @Auth Caller caller) {
        if (request != null) {
            access.require(caller, request.project(), null, Permission.WRITE, DatasetResource::absent);
        }
        DatasetView dataset = datasets.create(request, caller);
        return Responses.created(location(dataset.project(), dataset.name(), ""), dataset);
    }

    @GET
    public Page<DatasetView> list(
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit,
            @Auth Caller caller) {
        return datasets.datasets(access.listed(caller, project), cursor, limit);
    }

    @GET
    @Path("{name}")
    public DatasetView get(@PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return datasets.dataset(read(caller, project, name), name);
    }

    /** A version from a run step's outputs or stored blobs. */
    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the version made",
            content = @Content(schema = @Schema(implementation = DatasetVersionView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the same version existed already",
            content = @Content(schema = @Schema(implementation = DatasetVersionView.class)))
    public Response add(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            DatasetVersionRequest request,
            @Auth Caller caller) {
        String p = write(caller, project, name);
        return created(p, name, datasets.add(p, name, request, caller));
    }

    /** A version from an uploaded tar.gz of its files. */
    @POST
    @Path("{name}/versions")
    @Consumes({"application/gzip", "application/x-gzip"})
    @ApiResponse(
            responseCode = "201",
            description = "the version made",
            content = @Content(schema = @Schema(implementation = DatasetVersionView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the same version existed already",
            content = @Content(schema = @Schema(implementation = DatasetVersionView.class)))
    public Response upload(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            InputStream body,
            @QueryParam("description") String description,
            @Auth Caller caller)
            throws IOException {
        String p = write(caller, project, name);
        return created(p, name, datasets.upload(p, name, body, description, caller));
    }

    private static Response created(String project, String name, DatasetRegistry.Added added) {
        DatasetVersionView version = added.version();
        return Responses.createdOrExisting(
                added.created(), location(project, name, "/versions/" + version.version()), version);
    }

    @GET
    @Path("{name}/versions")
    public Page<DatasetVersionView> versions(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit,
            @Auth Caller caller) {
        return datasets.versions(read(caller, project, name), name, cursor, limit);
    }

    @GET
    @Path("{name}/versions/{version}")
    public DatasetVersionView version(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        return datasets.version(read(caller, project, name), name, version);
    }

    private String read(Caller caller, String project, String name) {
        return access.require(caller, project, name, Permission.READ, DatasetResource::absent);
    }

    private String write(Caller caller, String project, String name) {
        return access.require(caller, project, name, Permission.WRITE, DatasetResource::absent);
    }

    private static BatonException absent(String project, String name) {
        return name == null ? Access.noProject(project) : DatasetRegistry.notFound(project, name);
    }

    private static String location(String project, String name, String rest) {
        return "/api/v1/datasets/" + name + rest + (project.equals("default") ? "" : "?project=" + project);
    }
}
