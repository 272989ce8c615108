package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowArtifacts;
import io.baton.server.mlflow.MlflowMessages.FileList;
import io.baton.server.mlflow.MlflowTracking;
import io.baton.server.mlflow.TrackingMessages.Done;
import io.baton.server.registry.RegistryAccess;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/**
 * MLflow's artifact routes for the files of one project's model versions ({@code models/<name>/<version>/...}) and
 * runs ({@code runs/<MLflow run id>/...}), as MLflow's HTTP artifact repository uses them: a listing, each file by a
 * redirect to Baton's blob download route, and a step's upload into its own run.
 */
public abstract class MlflowArtifactRoutes {
    private final MlflowArtifacts artifacts;
    private final MlflowTracking tracking;
    private final PublicUrl publicUrl;
    private final RegistryAccess access;

    protected MlflowArtifactRoutes(
            MlflowArtifacts artifacts, MlflowTracking tracking, PublicUrl publicUrl, RegistryAccess access) {
        this.artifacts = artifacts;
        this.tracking = tracking;
        this.publicUrl = publicUrl;
        this.access = access;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public FileList list(@PathParam("project") String project, @QueryParam("path") String path, @Auth Caller caller) {
        if (MlflowTracking.runPath(path)) {
            return new FileList(tracking.list(caller, project, path));
        }
        return new FileList(artifacts.list(access.readable(caller, project), path));
    }

    /** The blob route is told the project the file was read through. */
    @GET
    @Path("{path: .+}")
    public Response download(
            @PathParam("project") String project, @PathParam("path") String path, @Auth Caller caller) {
        String p = access.readable(caller, project);
        String sha256 = MlflowTracking.runPath(path)
                ? tracking.file(caller, p, path)
                : artifacts.file(p, path).sha256();
        return Response.temporaryRedirect(publicUrl.resolve("/api/v1/artifacts/" + sha256 + "?project=" + p))
                .build();
    }

    /** {@code log_artifact} from a step: a file of its own run ({@code runs/<MLflow run id>/<path>}). */
    @PUT
    @Path("{path: .+}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Caller.USER, Caller.ATTEMPT})
    public Done upload(
            @PathParam("project") String project, @PathParam("path") String path, InputStream body, @Auth Caller caller)
            throws IOException {
        if (!MlflowTracking.runPath(path)) {
            throw new BatonException(
                    405, ErrorCodes.METHOD_NOT_ALLOWED, "files are uploaded only to a run's folder, runs/<run id>/");
        }
        tracking.upload(caller, project, path, body);
        return new Done();
    }
}
