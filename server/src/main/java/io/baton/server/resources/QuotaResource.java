package io.baton.server.resources;

import io.baton.server.api.Page;
import io.baton.server.api.QuotaRequest;
import io.baton.server.api.QuotaView;
import io.baton.server.auth.Caller;
import io.baton.server.quota.QuotaService;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/v1/quotas}: caps on what users and projects run at once, and projects' fair shares. */
@Path("/api/v1/quotas")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class QuotaResource {
    private final QuotaService quotas;

    public QuotaResource(QuotaService quotas) {
        this.quotas = quotas;
    }

    @GET
    @RolesAllowed(Caller.ADMIN)
    public Page<QuotaView> list() {
        return new Page<>(quotas.all(), null);
    }

    @GET
    @Path("users/{name}")
    public QuotaView user(@PathParam("name") String name, @Auth Caller caller) {
        return quotas.user(name, caller);
    }

    @PUT
    @Path("users/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public QuotaView setUser(@PathParam("name") String name, QuotaRequest request, @Auth Caller caller) {
        return quotas.setUser(name, request, caller);
    }

    @GET
    @Path("projects/{project}")
    public QuotaView project(@PathParam("project") String project, @Auth Caller caller) {
        return quotas.project(project, caller);
    }

    @PUT
    @Path("projects/{project}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    public QuotaView setProject(@PathParam("project") String project, QuotaRequest request, @Auth Caller caller) {
        return quotas.setProject(project, request, caller);
    }
}
