package io.baton.server.resources;

import io.baton.server.api.DatasetRequest;
import io.baton.server.api.DatasetVersionRequest;
import io.baton.server.api.DatasetVersionView;
import io.baton.server.api.DatasetView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.registry.DatasetRegistry;
import io.dropwizard.auth.Auth;
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

/** {@code /api/v1/datasets}: named, versioned sets of files that steps take as {@code dataset://} inputs. */
@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class DatasetResource {
    private final DatasetRegistry datasets;

    public DatasetResource(DatasetRegistry datasets) {
        this.datasets = datasets;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(DatasetRequest request, @Auth Caller caller) {
        DatasetView dataset = datasets.create(request, caller);
        return Responses.created("/api/v1/datasets/" + dataset.name(), dataset);
    }

    @GET
    public Page<DatasetView> list(
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return datasets.datasets(project, cursor, limit);
    }

    @GET
    @Path("{name}")
    public DatasetView get(@PathParam("name") String name) {
        return datasets.dataset(name);
    }

    /** A version from a run step's outputs or stored blobs. */
    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response add(@PathParam("name") String name, DatasetVersionRequest request, @Auth Caller caller) {
        return created(name, datasets.add(name, request, caller));
    }

    /** A version from an uploaded tar.gz of its files. */
    @POST
    @Path("{name}/versions")
    @Consumes({"application/gzip", "application/x-gzip"})
    public Response upload(
            @PathParam("name") String name,
            InputStream body,
            @QueryParam("description") String description,
            @Auth Caller caller)
            throws IOException {
        return created(name, datasets.upload(name, body, description, caller));
    }

    private static Response created(String name, DatasetRegistry.Added added) {
        DatasetVersionView version = added.version();
        return Responses.createdOrExisting(
                added.created(), "/api/v1/datasets/" + name + "/versions/" + version.version(), version);
    }

    @GET
    @Path("{name}/versions")
    public Page<DatasetVersionView> versions(
            @PathParam("name") String name, @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return datasets.versions(name, cursor, limit);
    }

    @GET
    @Path("{name}/versions/{version}")
    public DatasetVersionView version(@PathParam("name") String name, @PathParam("version") int version) {
        return datasets.version(name, version);
    }
}
