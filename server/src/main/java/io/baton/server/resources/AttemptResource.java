package io.baton.server.resources;

import io.baton.protocol.AttemptFinish;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.AttemptStarted;
import io.baton.protocol.AttemptWaiting;
import io.baton.protocol.LogBatch;
import io.baton.server.auth.Caller;
import io.baton.server.core.RunRecorder;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Workers report attempts here: waiting for room, start, output (logs and metrics), end. Every report is
 * idempotent.
 */
@Path("/api/v1/runs/{runId}/steps/{step}/attempts")
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.WORKER)
public final class AttemptResource {
  private final RunRecorder recorder;

  public AttemptResource(RunRecorder recorder) {
    this.recorder = recorder;
  }

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  public AttemptStarted started(@PathParam("runId") String runId, @PathParam("step") String step,
                                AttemptStart start) {
    return recorder.attemptStarted(runId, step, start);
  }

  /** The worker holds the step, but the attempt waits for its room or memory on that worker. */
  @POST
  @Path("{number}/waiting")
  public Response waiting(@PathParam("runId") String runId, @PathParam("step") String step,
                          @PathParam("number") int number, AttemptWaiting waiting) {
    recorder.attemptWaiting(runId, step, number, waiting);
    return Response.noContent().build();
  }

  @POST
  @Path("{number}/finish")
  public Response finished(@PathParam("runId") String runId, @PathParam("step") String step,
                           @PathParam("number") int number, AttemptFinish finish) {
    recorder.attemptFinished(runId, step, number, finish);
    return Response.noContent().build();
  }

  @POST
  @Path("{number}/logs")
  public Response logs(@PathParam("runId") String runId, @PathParam("step") String step,
                       @PathParam("number") int number, LogBatch batch) {
    recorder.appendLogs(runId, step, number, batch);
    return Response.noContent().build();
  }
}
