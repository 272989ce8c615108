package io.baton.server.resources;

import io.baton.common.BatonVersion;
import io.baton.server.api.HealthView;
import io.baton.server.temporal.TemporalService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jdbi.v3.core.Jdbi;

/** {@code GET /api/v1/health}: the one route without a token; 200 once the database and Temporal answer. */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
public final class HealthResource {
    private final Jdbi jdbi;
    private final TemporalService temporal;

    public HealthResource(Jdbi jdbi, TemporalService temporal) {
        this.jdbi = jdbi;
        this.temporal = temporal;
    }

    @GET
    public Response health() {
        boolean database;
        try {
            database = jdbi.withHandle(
                            h -> h.createQuery("SELECT 1").mapTo(Integer.class).one())
                    == 1;
        } catch (RuntimeException e) {
            database = false;
        }
        boolean temporalOk = temporal.healthy();
        boolean ok = database && temporalOk;
        HealthView view = new HealthView(
                ok ? "ok" : "unavailable",
                database ? "ok" : "unavailable",
                temporalOk ? "ok" : "unavailable",
                BatonVersion.version());
        return Response.status(ok ? 200 : 503).entity(view).build();
    }
}
