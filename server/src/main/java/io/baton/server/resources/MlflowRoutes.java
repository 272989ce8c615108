package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowMessages.DownloadUri;
import io.baton.server.mlflow.MlflowMessages.LatestVersionsRequest;
import io.baton.server.mlflow.MlflowMessages.ModelVersionAnswer;
import io.baton.server.mlflow.MlflowMessages.ModelVersions;
import io.baton.server.mlflow.MlflowMessages.RegisteredModelAnswer;
import io.baton.server.mlflow.MlflowMessages.RegisteredModels;
import io.baton.server.mlflow.MlflowRegistry;
import io.baton.server.registry.RegistryAccess;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The read routes of MLflow's model registry API over one project's models, so that {@code mlflow.MlflowClient}
 * pointed at a project's tracking URI lists models, gets versions by number or alias, searches versions and finds
 * where to download a version's files ({@link MlflowArtifactRoutes}). Errors take MLflow's shape ({@link MlflowErrors}).
 */
public abstract class MlflowRoutes {
    private final MlflowRegistry registry;
    private final PublicUrl publicUrl;
    private final RegistryAccess access;

    protected MlflowRoutes(MlflowRegistry registry, PublicUrl publicUrl, RegistryAccess access) {
        this.registry = registry;
        this.publicUrl = publicUrl;
        this.access = access;
    }

    @GET
    @Path("registered-models/search")
    public RegisteredModels searchModels(
            @PathParam("project") String project,
            @QueryParam("filter") String filter,
            @QueryParam("max_results") String maxResults,
            @QueryParam("order_by") List<String> orderBy,
            @QueryParam("page_token") String pageToken,
            @Auth Caller caller) {
        return registry.searchModels(access.readable(caller, project), filter, maxResults, orderBy, pageToken);
    }

    @GET
    @Path("registered-models/get")
    public RegisteredModelAnswer model(
            @PathParam("project") String project, @QueryParam("name") String name, @Auth Caller caller) {
        return new RegisteredModelAnswer(registry.registeredModel(access.readable(caller, project), name));
    }

    @GET
    @Path("registered-models/alias")
    public ModelVersionAnswer versionByAlias(
            @PathParam("project") String project,
            @QueryParam("name") String name,
            @QueryParam("alias") String alias,
            @Auth Caller caller) {
        return new ModelVersionAnswer(registry.modelVersionByAlias(access.readable(caller, project), name, alias));
    }

    /** MLflow's client tries POST first, then GET. */
    @POST
    @Path("registered-models/get-latest-versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelVersions latestVersions(
            @PathParam("project") String project, LatestVersionsRequest request, @Auth Caller caller) {
        return latestVersions(
                project, request == null ? null : request.name(), request == null ? null : request.stages(), caller);
    }

    @GET
    @Path("registered-models/get-latest-versions")
    public ModelVersions latestVersions(
            @PathParam("project") String project,
            @QueryParam("name") String name,
            @QueryParam("stages") List<String> stages,
            @Auth Caller caller) {
        return new ModelVersions(registry.latestVersions(access.readable(caller, project), name, stages), null);
    }

    @GET
    @Path("model-versions/get")
    public ModelVersionAnswer version(
            @PathParam("project") String project,
            @QueryParam("name") String name,
            @QueryParam("version") String version,
            @Auth Caller caller) {
        return new ModelVersionAnswer(registry.modelVersion(access.readable(caller, project), name, version));
    }

    @GET
    @Path("model-versions/get-download-uri")
    public DownloadUri downloadUri(
            @PathParam("project") String project,
            @QueryParam("name") String name,
            @QueryParam("version") String version,
            @Auth Caller caller) {
        String p = access.readable(caller, project);
        return new DownloadUri(registry.downloadUri(p, name, version, publicUrl.resolve(trackingPath(project))));
    }

    @GET
    @Path("model-versions/search")
    public ModelVersions searchVersions(
            @PathParam("project") String project,
            @QueryParam("filter") String filter,
            @QueryParam("max_results") String maxResults,
            @QueryParam("order_by") List<String> orderBy,
            @QueryParam("page_token") String pageToken,
            @Auth Caller caller) {
        return registry.searchVersions(access.readable(caller, project), filter, maxResults, orderBy, pageToken);
    }

    /** The path of a project's tracking URI, ending in '/': {@code /p/<project>/}, or {@code /} for the default one. */
    static String trackingPath(String project) {
        return project == null ? "/" : "/p/" + project + "/";
    }
}
