package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowArtifacts;
import io.baton.server.mlflow.MlflowMessages.FileList;
import io.baton.server.registry.RegistryAccess;
import io.dropwizard.auth.Auth;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * MLflow's artifact routes for the files of one project's model versions ({@code models/<name>/<version>/...}), as
 * MLflow's HTTP artifact repository reads them: a listing, and each file by a redirect to Baton's blob download route.
 */
public abstract class MlflowArtifactRoutes {
    private final MlflowArtifacts artifacts;
    private final PublicUrl publicUrl;
    private final RegistryAccess access;

    protected MlflowArtifactRoutes(MlflowArtifacts artifacts, PublicUrl publicUrl, RegistryAccess access) {
        this.artifacts = artifacts;
        this.publicUrl = publicUrl;
        this.access = access;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public FileList list(@PathParam("project") String project, @QueryParam("path") String path, @Auth Caller caller) {
        return new FileList(artifacts.list(access.readable(caller, project), path));
    }

    /** The blob route is told the project the file was read through. */
    @GET
    @Path("{path: .+}")
    public Response download(
            @PathParam("project") String project, @PathParam("path") String path, @Auth Caller caller) {
        String p = access.readable(caller, project);
        return Response.temporaryRedirect(publicUrl.resolve(
                        "/api/v1/artifacts/" + artifacts.file(p, path).sha256() + "?project=" + p))
                .build();
    }
}
