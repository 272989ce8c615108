package io.baton.server.resources;

import io.baton.server.api.AliasMoveView;
import io.baton.server.api.AliasRequest;
import io.baton.server.api.AliasView;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelVersionPatch;
import io.baton.server.api.ModelVersionRequest;
import io.baton.server.api.ModelVersionView;
import io.baton.server.api.ModelView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.registry.Lineage;
import io.baton.server.registry.ModelRegistry;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** {@code /api/v1/models}: the model registry: models, versions and their review, aliases and their history. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class ModelResource {
    private final ModelRegistry models;
    private final Lineage lineage;

    public ModelResource(ModelRegistry models, Lineage lineage) {
        this.models = models;
        this.lineage = lineage;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ModelRequest request, @Auth Caller caller) {
        ModelView model = models.create(request, caller);
        return Responses.created("/api/v1/models/" + model.name(), model);
    }

    @GET
    public Page<ModelView> list(
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return models.models(project, cursor, limit);
    }

    @GET
    @Path("{name}")
    public ModelView get(@PathParam("name") String name) {
        return models.model(name);
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelView update(@PathParam("name") String name, ModelRequest request) {
        return models.update(name, request);
    }

    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@PathParam("name") String name, ModelVersionRequest request, @Auth Caller caller) {
        ModelRegistry.Registered registered = models.register(name, request, caller);
        ModelVersionView version = registered.version();
        return Responses.createdOrExisting(
                registered.created(), "/api/v1/models/" + name + "/versions/" + version.version(), version);
    }

    @GET
    @Path("{name}/versions")
    public Page<ModelVersionView> versions(
            @PathParam("name") String name, @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        return models.versions(name, cursor, limit);
    }

    @GET
    @Path("{name}/versions/{version}")
    public ModelVersionView version(@PathParam("name") String name, @PathParam("version") int version) {
        return models.version(name, version);
    }

    @PATCH
    @Path("{name}/versions/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelVersionView review(
            @PathParam("name") String name,
            @PathParam("version") int version,
            ModelVersionPatch patch,
            @Auth Caller caller) {
        return models.update(name, version, patch, caller);
    }

    @GET
    @Path("{name}/versions/{version}/lineage")
    public Map<String, Object> lineage(@PathParam("name") String name, @PathParam("version") int version) {
        return lineage.ofModelVersion(name, version);
    }

    @GET
    @Path("{name}/aliases")
    public Page<AliasView> aliases(@PathParam("name") String name) {
        return new Page<>(models.aliases(name), null);
    }

    @GET
    @Path("{name}/aliases/{alias}")
    public AliasView alias(@PathParam("name") String name, @PathParam("alias") String alias) {
        return models.alias(name, alias);
    }

    @PUT
    @Path("{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AliasView move(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            AliasRequest request,
            @Auth Caller caller) {
        return models.setAlias(name, alias, request, caller);
    }

    @DELETE
    @Path("{name}/aliases/{alias}")
    public Response remove(@PathParam("name") String name, @PathParam("alias") String alias, @Auth Caller caller) {
        models.deleteAlias(name, alias, caller);
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/aliases/{alias}/history")
    public Page<AliasMoveView> history(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit) {
        return models.history(name, alias, cursor, limit);
    }
}
