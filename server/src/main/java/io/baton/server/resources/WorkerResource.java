package io.baton.server.resources;

import io.baton.protocol.ReplicaReady;
import io.baton.protocol.RunningStep;
import io.baton.protocol.WorkerHeartbeat;
import io.baton.protocol.WorkerRegistration;
import io.baton.server.access.Permission;
import io.baton.server.api.Page;
import io.baton.server.api.WorkerView;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.endpoints.ReplicaReports;
import io.baton.server.runs.RunAccess;
import io.baton.server.workers.WorkerService;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/workers}: users see workers; workers register and heartbeat. */
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
public final class WorkerResource {
    private final WorkerService workers;
    private final TokenService tokens;
    private final RunAccess runs;
    private final ReplicaReports replicas;

    public WorkerResource(WorkerService workers, TokenService tokens, RunAccess runs, ReplicaReports replicas) {
        this.workers = workers;
        this.tokens = tokens;
        this.runs = runs;
        this.replicas = replicas;
    }

    @GET
    @RolesAllowed(Caller.USER)
    public Page<WorkerView> list(@Auth Caller caller) {
        return new Page<>(workers.list().stream().map(w -> visible(w, caller)).toList(), null);
    }

    @GET
    @Path("{name}")
    @RolesAllowed(Caller.USER)
    public WorkerView get(@PathParam("name") String name, @Auth Caller caller) {
        return visible(workers.get(name), caller);
    }

    /** A worker as the caller may see it: the steps it runs only of runs the caller may read. */
    private WorkerView visible(WorkerView w, Caller caller) {
        if (caller.admin() || w.running().isEmpty()) {
            return w;
        }
        List<RunningStep> running = w.running().stream()
                .filter(r -> runs.can(caller, r.runId(), Permission.READ))
                .toList();
        return new WorkerView(
                w.name(),
                w.status(),
                w.pools(),
                w.cpus(),
                w.memoryBytes(),
                w.gpus(),
                w.slots(),
                w.usedSlots(),
                w.registeredAt(),
                w.lastHeartbeatAt(),
                running,
                w.os(),
                w.pythonVersion(),
                w.cudaDriverVersion(),
                w.batonVersion(),
                w.drainRequested(),
                w.draining());
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.WORKER)
    public WorkerView register(@PathParam("name") String name, WorkerRegistration registration, @Auth Caller caller) {
        requireOwnWorker(caller, name);
        List<String> allowed = tokens.workerPools(caller.tokenId());
        if (allowed != null && registration != null && registration.pools() != null) {
            for (String pool : registration.pools()) {
                if (!allowed.contains(pool)) {
                    throw new BatonException(
                            403,
                            ErrorCodes.FORBIDDEN,
                            "worker token '" + caller.name() + "' may serve pools " + allowed + ", not '" + pool + "'");
                }
            }
        }
        return workers.register(name, registration);
    }

    @POST
    @Path("{name}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.WORKER)
    @Produces(MediaType.APPLICATION_JSON)
    public WorkerService.HeartbeatAnswer heartbeat(
            @PathParam("name") String name, WorkerHeartbeat heartbeat, @Auth Caller caller) {
        requireOwnWorker(caller, name);
        return workers.heartbeat(name, heartbeat);
    }

    @POST
    @Path("{name}/replicas/{replicaId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.WORKER)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> replicaReady(
            @PathParam("name") String name,
            @PathParam("replicaId") String replicaId,
            ReplicaReady report,
            @Auth Caller caller) {
        requireOwnWorker(caller, name);
        replicas.ready(name, replicaId, report);
        return Map.of();
    }

    /** A worker token belongs to the worker of its name: it registers, heartbeats and drains that one only. */
    private static void requireOwnWorker(Caller caller, String name) {
        if (caller.isOtherWorkerThan(name)) {
            throw new BatonException(
                    403,
                    ErrorCodes.FORBIDDEN,
                    "worker token '" + caller.name() + "' belongs to worker '" + caller.name() + "', not to '" + name
                            + "'");
        }
    }

    @POST
    @Path("{name}/drain")
    @RolesAllowed(Caller.ADMIN)
    @ApiResponse(
            responseCode = "202",
            description = "draining",
            content = @Content(schema = @Schema(implementation = WorkerView.class)))
    public Response drain(@PathParam("name") String name) {
        return Response.accepted(workers.drain(name)).build();
    }

    @DELETE
    @Path("{name}")
    @RolesAllowed(Caller.ADMIN)
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response delete(@PathParam("name") String name) {
        workers.delete(name);
        return Response.noContent().build();
    }
}
