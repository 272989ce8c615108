package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.PublicUrl;
import io.baton.server.mlflow.MlflowRegistry;
import io.baton.server.mlflow.MlflowTracking;
import io.baton.server.registry.RegistryAccess;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@link MlflowRoutes} at a project's tracking URI ({@code /p/<project>/api/2.0/mlflow}). */
@Path("/p/{project}/api/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class ProjectMlflowResource extends MlflowRoutes {
    public ProjectMlflowResource(
            MlflowRegistry registry, MlflowTracking tracking, PublicUrl publicUrl, RegistryAccess access) {
        super(registry, tracking, publicUrl, access);
    }
}
