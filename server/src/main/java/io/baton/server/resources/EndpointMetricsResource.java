package io.baton.server.resources;

import io.baton.server.api.EndpointMetricsView;
import io.baton.server.auth.Caller;
import io.baton.server.core.Projects;
import io.baton.server.serving.EndpointMetrics;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/endpoints/{name}/metrics?project=P}: requests, errors and latency per model version. */
@Path("/api/v1/endpoints/{name}/metrics")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class EndpointMetricsResource {
    private final EndpointMetrics metrics;

    public EndpointMetricsResource(EndpointMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    public EndpointMetricsView metrics(
            @Auth Caller caller, @PathParam("name") String name, @QueryParam("project") String project) {
        return metrics.of(caller, Projects.check(project), name);
    }
}
