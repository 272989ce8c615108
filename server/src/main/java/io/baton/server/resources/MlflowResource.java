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

/** {@link MlflowRoutes} at the server's own tracking URI ({@code /api/2.0/mlflow}): project {@code default}. */
@Path("/api/2.0/mlflow")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class MlflowResource extends MlflowRoutes {
    public MlflowResource(
            MlflowRegistry registry, MlflowTracking tracking, PublicUrl publicUrl, RegistryAccess access) {
        super(registry, tracking, publicUrl, access);
    }
}
