package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowMessages.DownloadUri;
import io.baton.server.mlflow.MlflowMessages.LatestVersionsRequest;
import io.baton.server.mlflow.MlflowMessages.ModelVersionAnswer;
import io.baton.server.mlflow.MlflowMessages.ModelVersions;
import io.baton.server.mlflow.MlflowMessages.RegisteredModelAnswer;
import io.baton.server.mlflow.MlflowMessages.RegisteredModels;
import io.baton.server.mlflow.MlflowRegistry;
import io.baton.server.mlflow.MlflowTracking;
import io.baton.server.mlflow.TrackingMessages.BatchRequest;
import io.baton.server.mlflow.TrackingMessages.Done;
import io.baton.server.mlflow.TrackingMessages.ExperimentAnswer;
import io.baton.server.mlflow.TrackingMessages.Experiments;
import io.baton.server.mlflow.TrackingMessages.KeyValueRequest;
import io.baton.server.mlflow.TrackingMessages.MetricRequest;
import io.baton.server.mlflow.TrackingMessages.Metrics;
import io.baton.server.mlflow.TrackingMessages.RunAnswer;
import io.baton.server.mlflow.TrackingMessages.RunInfoAnswer;
import io.baton.server.mlflow.TrackingMessages.RunRequest;
import io.baton.server.mlflow.TrackingMessages.Runs;
import io.baton.server.mlflow.TrackingMessages.SearchExperimentsRequest;
import io.baton.server.mlflow.TrackingMessages.SearchRunsRequest;
import io.baton.server.mlflow.TrackingMessages.UpdateRequest;
import io.baton.server.registry.RegistryAccess;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * MLflow's API over one project: the tracking routes ({@link MlflowTracking}: a step logs into its attempt, users read
 * runs) and the read routes of the model registry. Errors take MLflow's shape ({@link MlflowErrors}).
 */
public abstract class MlflowRoutes {
    private final MlflowRegistry registry;
    private final MlflowTracking tracking;
    private final PublicUrl publicUrl;
    private final RegistryAccess access;

    protected MlflowRoutes(
            MlflowRegistry registry, MlflowTracking tracking, PublicUrl publicUrl, RegistryAccess access) {
        this.registry = registry;
        this.tracking = tracking;
        this.publicUrl = publicUrl;
        this.access = access;
    }

    // ---- tracking: reads (users, and a step's token in its own project) ----

    @GET
    @Path("runs/get")
    public RunAnswer run(
            @PathParam("project") String project,
            @QueryParam("run_id") String runId,
            @QueryParam("run_uuid") String runUuid,
            @Auth Caller caller) {
        return new RunAnswer(tracking.run(caller, project, runId != null ? runId : runUuid));
    }

    @POST
    @Path("runs/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Runs searchRuns(@PathParam("project") String project, SearchRunsRequest request, @Auth Caller caller) {
        return tracking.search(caller, project, request);
    }

    @GET
    @Path("metrics/get-history")
    public Metrics metricHistory(
            @PathParam("project") String project,
            @QueryParam("run_id") String runId,
            @QueryParam("run_uuid") String runUuid,
            @QueryParam("metric_key") String key,
            @Auth Caller caller) {
        return tracking.history(caller, project, runId != null ? runId : runUuid, key);
    }

    @POST
    @Path("experiments/search")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Experiments searchExperiments(
            @PathParam("project") String project, SearchExperimentsRequest request, @Auth Caller caller) {
        SearchExperimentsRequest r = required(request);
        return tracking.experiments(caller, project, r.filter(), r.maxResults(), r.orderBy(), r.pageToken());
    }

    @GET
    @Path("experiments/search")
    public Experiments searchExperiments(
            @PathParam("project") String project,
            @QueryParam("filter") String filter,
            @QueryParam("max_results") Integer maxResults,
            @QueryParam("order_by") List<String> orderBy,
            @QueryParam("page_token") String pageToken,
            @Auth Caller caller) {
        return tracking.experiments(caller, project, filter, maxResults, orderBy, pageToken);
    }

    @GET
    @Path("experiments/get")
    public ExperimentAnswer experiment(
            @PathParam("project") String project, @QueryParam("experiment_id") String id, @Auth Caller caller) {
        return new ExperimentAnswer(tracking.experimentById(caller, project, id));
    }

    @GET
    @Path("experiments/get-by-name")
    public ExperimentAnswer experimentByName(
            @PathParam("project") String project, @QueryParam("experiment_name") String name, @Auth Caller caller) {
        return new ExperimentAnswer(tracking.experimentByName(caller, project, name));
    }

    // ---- tracking: writes (a step's own attempt token, into its running attempt) ----

    @POST
    @Path("runs/update")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public RunInfoAnswer updateRun(@PathParam("project") String project, UpdateRequest request, @Auth Caller caller) {
        UpdateRequest r = required(request);
        return new RunInfoAnswer(tracking.update(caller, project, r.run(), r.status()));
    }

    @POST
    @Path("runs/log-metric")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done logMetric(@PathParam("project") String project, MetricRequest request, @Auth Caller caller) {
        MetricRequest r = required(request);
        tracking.logMetric(caller, project, r.run(), r.key(), r.value(), r.timestamp(), r.step());
        return new Done();
    }

    @POST
    @Path("runs/log-parameter")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done logParam(@PathParam("project") String project, KeyValueRequest request, @Auth Caller caller) {
        KeyValueRequest r = required(request);
        tracking.logParam(caller, project, r.run(), r.key(), r.value());
        return new Done();
    }

    @POST
    @Path("runs/set-tag")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done setTag(@PathParam("project") String project, KeyValueRequest request, @Auth Caller caller) {
        KeyValueRequest r = required(request);
        tracking.setTag(caller, project, r.run(), r.key(), r.value());
        return new Done();
    }

    @POST
    @Path("runs/log-batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done logBatch(@PathParam("project") String project, BatchRequest request, @Auth Caller caller) {
        BatchRequest r = required(request);
        tracking.logBatch(caller, project, r.runId(), r.metrics(), r.params(), r.tags());
        return new Done();
    }

    /** Datasets and models a run used or made (log-inputs, log-model, outputs): accepted from the run's own step, not kept. */
    @POST
    @Path("runs/log-inputs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done logInputs(@PathParam("project") String project, RunRequest request, @Auth Caller caller) {
        tracking.accept(caller, project, required(request).runId());
        return new Done();
    }

    @POST
    @Path("runs/log-model")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done logModel(@PathParam("project") String project, RunRequest request, @Auth Caller caller) {
        tracking.accept(caller, project, required(request).runId());
        return new Done();
    }

    @POST
    @Path("runs/outputs")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done logOutputs(@PathParam("project") String project, RunRequest request, @Auth Caller caller) {
        tracking.accept(caller, project, required(request).runId());
        return new Done();
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw BatonException.badRequest("the body must be a JSON object");
        }
        return body;
    }

    // ---- the model registry ----

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
