package io.baton.server.resources;

import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.auth.AttemptGuard;
import io.baton.server.auth.Caller;
import io.baton.server.auth.TokenService;
import io.baton.server.core.BatonException;
import io.baton.server.secrets.SecretService;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * Workers report attempts here: waiting for room, start, output (logs and metrics), end. Every report is
 * idempotent. A worker reports only the attempts of steps Temporal gave it; a step's own attempt token may add to
 * its attempt's output.
 */
@Path("/api/v1/runs/{runId}/steps/{step}/attempts")
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.WORKER)
public final class AttemptResource {
    /**
     * Batches an attempt token sends (metrics only) are numbered apart from its worker's, so that neither replaces the
     * other's.
     */
    static final long STEP_BATCHES = 1L << 40;

    private final AttemptRecorder recorder;
    private final AttemptGuard guard;
    private final TokenService tokens;
    private final SecretService secrets;

    public AttemptResource(AttemptRecorder recorder, AttemptGuard guard, TokenService tokens, SecretService secrets) {
        this.recorder = recorder;
        this.guard = guard;
        this.tokens = tokens;
        this.secrets = secrets;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public AttemptStarted started(
            @PathParam("runId") String runId, @PathParam("step") String step, AttemptStart start, @Auth Caller caller) {
        guard.checkStart(caller, runId, step, start);
        // read before the start is recorded, so that a secret removed since the submission records nothing (409)
        Map<String, String> values = secrets.forAttempt(runId, step);
        AttemptStarted started = recorder.attemptStarted(runId, step, start);
        if (started.stepSucceeded() || started.waiting() != null) {
            return started; // nothing runs (yet): no token, no secrets
        }
        // the step's secrets go to the worker that Temporal gave the run's step, in this answer only
        return tokens.withAttemptToken(started, runId, step, start).withSecrets(values);
    }

    /** The worker holds the step, but the attempt waits for its room or memory on that worker. */
    @POST
    @Path("{number}/waiting")
    @ApiResponse(responseCode = "204", description = "done")
    public Response waiting(
            @PathParam("runId") String runId,
            @PathParam("step") String step,
            @PathParam("number") int number,
            AttemptWaiting waiting,
            @Auth Caller caller) {
        guard.checkWaiting(caller, runId, waiting);
        recorder.attemptWaiting(runId, step, number, waiting);
        return Response.noContent().build();
    }

    @POST
    @Path("{number}/finish")
    @ApiResponse(responseCode = "204", description = "done")
    public Response finished(
            @PathParam("runId") String runId,
            @PathParam("step") String step,
            @PathParam("number") int number,
            AttemptFinish finish,
            @Auth Caller caller) {
        guard.checkReport(caller, runId, step, number, false);
        recorder.attemptFinished(runId, step, number, finish);
        tokens.revokeForAttempt(runId, step, number);
        return Response.noContent().build();
    }

    @POST
    @Path("{number}/logs")
    @RolesAllowed({Caller.WORKER, Caller.ATTEMPT})
    @ApiResponse(responseCode = "204", description = "done")
    public Response logs(
            @PathParam("runId") String runId,
            @PathParam("step") String step,
            @PathParam("number") int number,
            LogBatch batch,
            @Auth Caller caller) {
        guard.checkReport(caller, runId, step, number, true);
        if (batch != null && Caller.ATTEMPT.equals(caller.kind())) {
            if (batch.text() != null && !batch.text().isEmpty()) {
                throw BatonException.badRequest(
                        "an attempt token sends metrics ('packedMetrics'), with 'text' empty; a step's"
                                + " log is what it prints");
            }
            long seq = batch.seq() >= 0 && batch.seq() < STEP_BATCHES ? STEP_BATCHES + batch.seq() : batch.seq();
            batch = new LogBatch(seq, "", batch.packedMetrics());
        }
        recorder.appendLogs(runId, step, number, batch);
        return Response.noContent().build();
    }
}
