package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.AliasMoveView;
import io.baton.server.api.AliasRequest;
import io.baton.server.api.AliasView;
import io.baton.server.api.AuditEntryView;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelVersionPatch;
import io.baton.server.api.ModelVersionRequest;
import io.baton.server.api.ModelVersionView;
import io.baton.server.api.ModelView;
import io.baton.server.api.Page;
import io.baton.server.api.RunView;
import io.baton.server.audit.AuditLog;
import io.baton.server.auth.Caller;
import io.baton.server.core.AuditNote;
import io.baton.server.core.BatonException;
import io.baton.server.registry.Lineage;
import io.baton.server.registry.ModelRegistry;
import io.baton.server.registry.RegistryAccess;
import io.baton.server.runs.RunQueries;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import java.util.LinkedHashMap;
import java.util.List;
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
    private final AuditLog audit;
    private final RunQueries runs;

    public ModelResource(
            ModelRegistry models, Lineage lineage, RegistryAccess access, AuditLog audit, RunQueries runs) {
        this.models = models;
        this.lineage = lineage;
        this.access = access;
        this.audit = audit;
        this.runs = runs;
    }

    /** The audit log's name for a model version: {@code model-version}, {@code <project>/<model>/<version>}. */
    private static void auditVersion(String project, String name, int version, String detail) {
        AuditNote.object(VERSION_OBJECT, project + "/" + name + "/" + version);
        AuditNote.detail(detail);
    }

    private static final String VERSION_OBJECT = "model-version";

    /**
     * A model version's story on one page: the version, the run that trained it (with its Temporal workflow) and the
     * audit entries of its registration, reviews and alias moves, each with its place in the hash chain.
     */
    @GET
    @Path("{name}/versions/{version}/story")
    public Map<String, Object> story(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        String p = read(caller, project, name);
        ModelVersionView v = models.version(p, name, version);
        Map<String, Object> story = new LinkedHashMap<>();
        story.put("version", v);
        RunView run = runs.run(v.run());
        Map<String, Object> trained = new LinkedHashMap<>();
        trained.put("id", run.id());
        trained.put("pipeline", run.pipeline());
        trained.put("createdBy", run.createdBy());
        trained.put("workflowId", run.workflowId());
        trained.put("temporalUiUrl", run.temporalUiUrl());
        story.put("run", trained);
        List<AuditEntryView> entries = audit.entriesFor(VERSION_OBJECT, p + "/" + name + "/" + version).stream()
                .map(AuditResource::view)
                .toList();
        story.put("audit", entries);
        return story;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the model made",
            content = @Content(schema = @Schema(implementation = ModelView.class)))
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
    @ApiResponse(
            responseCode = "201",
            description = "the version made",
            content = @Content(schema = @Schema(implementation = ModelVersionView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the same version existed already",
            content = @Content(schema = @Schema(implementation = ModelVersionView.class)))
    public Response register(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            ModelVersionRequest request,
            @Auth Caller caller) {
        String p = write(caller, project, name);
        ModelRegistry.Registered registered = models.register(p, name, request, caller);
        ModelVersionView version = registered.version();
        auditVersion(p, name, version.version(), registered.created() ? "registered" : "registered again (same files)");
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
        String p = write(caller, project, name);
        ModelVersionView reviewed = models.update(p, name, version, patch, caller);
        auditVersion(p, name, version, "status " + reviewed.status());
        return reviewed;
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
        AliasView moved = models.setAlias(p, name, alias, request, caller, access.can(caller, p, Permission.PROMOTE));
        auditVersion(p, name, moved.version(), "alias " + alias + " -> " + moved.version());
        return moved;
    }

    @DELETE
    @Path("{name}/aliases/{alias}")
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response remove(
            @PathParam("name") String name,
            @PathParam("alias") String alias,
            @QueryParam("project") String project,
            @Auth Caller caller) {
        String p = write(caller, project, name);
        int from = models.alias(p, name, alias).version();
        models.deleteAlias(p, name, alias, caller, access.can(caller, p, Permission.PROMOTE));
        auditVersion(p, name, from, "alias " + alias + " removed");
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
