package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowArtifacts;
import io.baton.server.mlflow.MlflowTracking;
import io.baton.server.registry.RegistryAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;

/** {@link MlflowArtifactRoutes} at a project's tracking URI ({@code /p/<project>/api/2.0/mlflow-artifacts/...}). */
@Path("/p/{project}/api/2.0/mlflow-artifacts/artifacts")
@RolesAllowed(Caller.USER)
public final class ProjectMlflowArtifactResource extends MlflowArtifactRoutes {
    public ProjectMlflowArtifactResource(
            MlflowArtifacts artifacts, MlflowTracking tracking, PublicUrl publicUrl, RegistryAccess access) {
        super(artifacts, tracking, publicUrl, access);
    }
}
