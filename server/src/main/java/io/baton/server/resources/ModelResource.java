package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
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
import io.baton.server.core.BatonException;
import io.baton.server.registry.Lineage;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.registry.RegistryAccess;
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

/**
 * {@code /api/v1/models}: the model registry (models, versions and their review, aliases and their history), each
 * model in a project ({@code ?project=}, default {@code default}). Reading needs the viewer role there, writing the
 * editor's, moving a protected alias the 'promote' permission, and setting which aliases are protected the admin's.
 */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class ModelResource {
    private final ModelRegistry models;
    private final Lineage lineage;
    private final RegistryAccess access;

    public ModelResource(ModelRegistry models, Lineage lineage, RegistryAccess access) {
        this.models = models;
        this.lineage = lineage;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(ModelRequest request, @Auth Caller caller) {
        if (request != null) {
            access.require(
                    caller,
                    request.project(),
                    null,
                    request.protectedAliases() == null ? Permission.WRITE : Permission.MANAGE,
                    ModelResource::absent);
        }
        ModelView model = models.create(request, caller);
        return Responses.created(location(model.project(), model.name(), ""), model);
    }

    @GET
    public Page<ModelView> list(
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit,
            @Auth Caller caller) {
        return models.models(access.listed(caller, project), cursor, limit);
    }

    @GET
    @Path("{name}")
    public ModelView get(@PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return models.model(read(caller, project, name), name);
    }

    /** Description and tags (an editor); which aliases are protected (a project admin). */
    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelView update(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            ModelRequest request,
            @Auth Caller caller) {
        Permission needed =
                request != null && request.protectedAliases() != null ? Permission.MANAGE : Permission.WRITE;
        return models.update(access.require(caller, project, name, needed, ModelResource::absent), name, request);
    }

    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            ModelVersionRequest request,
            @Auth Caller caller) {
        String p = write(caller, project, name);
        ModelRegistry.Registered registered = models.register(p, name, request, caller);
        ModelVersionView version = registered.version();
        return Responses.createdOrExisting(
                registered.created(), location(p, name, "/versions/" + version.version()), version);
    }

    @GET
    @Path("{name}/versions")
    public Page<ModelVersionView> versions(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit,
            @Auth Caller caller) {
        return models.versions(read(caller, project, name), name, cursor, limit);
    }

    @GET
    @Path("{name}/versions/{version}")
    public ModelVersionView version(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        return models.version(read(caller, project, name), name, version);
    }

    @PATCH
    @Path("{name}/versions/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelVersionView review(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @QueryParam("project") String project,
            ModelVersionPatch patch,
            @Auth Caller caller) {
        return models.update(write(caller, project, name), name, version, patch, caller);
    }

    @GET
    @Path("{name}/versions/{version}/lineage")
    public Map<String, Object> lineage(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        return lineage.ofModelVersion(read(caller, project, name), name, version, caller);
    }

    @GET
    @Path("{name}/aliases")
    public Page<AliasView> aliases(
            @PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return new Page<>(models.aliases(read(caller, project, name), name), null);
    }

    @GET
    @Path("{name}/aliases/{alias}")
    public AliasView alias(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        return models.alias(read(caller, project, name), name, alias);
    }

    /** An editor moves an alias; a protected one ({@code production} unless set otherwise) needs 'promote'. */
    @PUT
    @Path("{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    public AliasView move(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("project") String project,
            AliasRequest request,
            @Auth Caller caller) {
        String p = write(caller, project, name);
        return models.setAlias(p, name, alias, request, caller, access.can(caller, p, Permission.PROMOTE));
    }

    @DELETE
    @Path("{name}/aliases/{alias}")
    public Response remove(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        String p = write(caller, project, name);
        models.deleteAlias(p, name, alias, caller, access.can(caller, p, Permission.PROMOTE));
        return Response.noContent().build();
    }

    @GET
    @Path("{name}/aliases/{alias}/history")
    public Page<AliasMoveView> history(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("project") String project,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") Integer limit,
            @Auth Caller caller) {
        return models.history(read(caller, project, name), name, alias, cursor, limit);
    }

    private String read(Caller caller, String project, String name) {
        return access.require(caller, project, name, Permission.READ, ModelResource::absent);
    }

    private String write(Caller caller, String project, String name) {
        return access.require(caller, project, name, Permission.WRITE, ModelResource::absent);
    }

    private static BatonException absent(String project, String name) {
        return name == null ? Access.noProject(project) : ModelRegistry.notFound(project, name);
    }

    private static String location(String project, String name, String rest) {
        return "/api/v1/models/" + name + rest + (project.equals("default") ? "" : "?project=" + project);
    }
}
