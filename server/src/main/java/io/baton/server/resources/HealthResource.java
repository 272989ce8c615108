package io.baton.server.resources;

import com.codahale.metrics.health.HealthCheckRegistry;
import io.baton.common.BatonVersion;
import io.baton.server.api.HealthView;
import io.baton.server.auth.Public;
import io.baton.server.health.HealthChecks;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code GET /api/v1/health}: the one route without a token; 200 once the database and Temporal checks pass. */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final HealthCheckRegistry checks;

    public HealthResource(HealthCheckRegistry checks) {
        this.checks = checks;
    }

    @GET
    @Public
    @ApiResponse(
            responseCode = "200",
            description = "the database and Temporal answer",
            content = @Content(schema = @Schema(implementation = HealthView.class)))
    @ApiResponse(
            responseCode = "503",
            description = "the database or Temporal does not answer",
            content = @Content(schema = @Schema(implementation = HealthView.class)))
    public Response health() {
        boolean database = HealthChecks.healthy(checks, HealthChecks.DATABASE);
        boolean temporal = HealthChecks.healthy(checks, HealthChecks.TEMPORAL);
        boolean ok = database && temporal;
        HealthView view = new HealthView(
                ok ? "ok" : "unavailable",
                database ? "ok" : "unavailable",
                temporal ? "ok" : "unavailable",
                BatonVersion.version());
        return Response.status(ok ? 200 : 503).entity(view).build();
    }
}
