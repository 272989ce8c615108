package io.baton.server.resources;

import io.baton.server.api.Page;
import io.baton.server.api.PoolView;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.workers.PoolService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** {@code /api/v1/pools}: each pool with its online workers, slots, GPUs, backlog and the projects it serves. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class PoolResource {
    private final PoolService pools;

    public PoolResource(PoolService pools) {
        this.pools = pools;
    }

    /** A pool's settings: {@code projects} it is limited to (null or empty: every project). */
    public record PoolSettings(List<String> projects) {}

    @GET
    public Page<PoolView> list() {
        return new Page<>(pools.list(), null);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public PoolView limit(@PathParam("name") String name, PoolSettings settings) {
        if (settings == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'projects' (a list, or null)");
        }
        return pools.limit(name, settings.projects());
    }
}
