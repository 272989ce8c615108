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
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * The read routes of MLflow's model registry API, so that {@code mlflow.MlflowClient} pointed at Baton lists
 * models, gets versions by number or alias, searches versions and finds where to download a version's files
 * ({@link MlflowArtifactResource}). Errors take MLflow's shape ({@link MlflowErrors}).
 */
@Path("/api/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class MlflowResource {
    private final MlflowRegistry registry;
    private final PublicUrl publicUrl;

    public MlflowResource(MlflowRegistry registry, PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
        this.registry = registry;
    }

    @GET
    @Path("registered-models/search")
    public RegisteredModels searchModels(
            @QueryParam("filter") String filter,
            @QueryParam("max_results") String maxResults,
            @QueryParam("order_by") List<String> orderBy,
            @QueryParam("page_token") String pageToken) {
        return registry.searchModels(filter, maxResults, orderBy, pageToken);
    }

    @GET
    @Path("registered-models/get")
    public RegisteredModelAnswer model(@QueryParam("name") String name) {
        return new RegisteredModelAnswer(registry.registeredModel(name));
    }

    @GET
    @Path("registered-models/alias")
    public ModelVersionAnswer versionByAlias(@QueryParam("name") String name, @QueryParam("alias") String alias) {
        return new ModelVersionAnswer(registry.modelVersionByAlias(name, alias));
    }

    /** MLflow's client tries POST first, then GET. */
    @POST
    @Path("registered-models/get-latest-versions")
    @Consumes(MediaType.APPLICATION_JSON)
    public ModelVersions latestVersions(LatestVersionsRequest request) {
        return latestVersions(request == null ? null : request.name(), request == null ? null : request.stages());
    }

    @GET
    @Path("registered-models/get-latest-versions")
    public ModelVersions latestVersions(@QueryParam("name") String name, @QueryParam("stages") List<String> stages) {
        return new ModelVersions(registry.latestVersions(name, stages), null);
    }

    @GET
    @Path("model-versions/get")
    public ModelVersionAnswer version(@QueryParam("name") String name, @QueryParam("version") String version) {
        return new ModelVersionAnswer(registry.modelVersion(name, version));
    }

    @GET
    @Path("model-versions/get-download-uri")
    public DownloadUri downloadUri(@QueryParam("name") String name, @QueryParam("version") String version) {
        return new DownloadUri(registry.downloadUri(name, version, publicUrl.resolve("/")));
    }

    @GET
    @Path("model-versions/search")
    public ModelVersions searchVersions(
            @QueryParam("filter") String filter,
            @QueryParam("max_results") String maxResults,
            @QueryParam("order_by") List<String> orderBy,
            @QueryParam("page_token") String pageToken) {
        return registry.searchVersions(filter, maxResults, orderBy, pageToken);
    }
}
