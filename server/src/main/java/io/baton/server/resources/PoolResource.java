package io.baton.server.resources;

import io.baton.server.api.Page;
import io.baton.server.api.PoolView;
import io.baton.server.auth.Caller;
import io.baton.server.workers.PoolService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/v1/pools}: each pool with its online workers, slots, GPUs and backlog. */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class PoolResource {
    private final PoolService pools;

    public PoolResource(PoolService pools) {
        this.pools = pools;
    }

    @GET
    public Page<PoolView> list() {
        return new Page<>(pools.list(), null);
    }
}
