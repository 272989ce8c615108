package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowArtifacts;
import io.baton.server.mlflow.MlflowMessages.FileList;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * MLflow's artifact routes for the files of model versions ({@code models/<name>/<version>/...}), as MLflow's
 * HTTP artifact repository reads them: a listing, and each file by a redirect to Baton's one blob download route.
 */
@Path("/api/2.0/mlflow-artifacts/artifacts")
@RolesAllowed(Caller.USER)
public final class MlflowArtifactResource {
    private final MlflowArtifacts artifacts;
    private final PublicUrl publicUrl;

    public MlflowArtifactResource(MlflowArtifacts artifacts, PublicUrl publicUrl) {
        this.artifacts = artifacts;
        this.publicUrl = publicUrl;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public FileList list(@QueryParam("path") String path) {
        return new FileList(artifacts.list(path));
    }

    @GET
    @Path("{path: .+}")
    public Response download(@PathParam("path") String path) {
        return Response.temporaryRedirect(publicUrl.resolve(
                        "/api/v1/artifacts/" + artifacts.file(path).sha256()))
                .build();
    }
}
