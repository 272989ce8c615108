package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.ArtifactView;
import io.baton.server.api.DecisionRequest;
import io.baton.server.api.MetricsView;
import io.baton.server.api.Page;
import io.baton.server.api.ResumeRequest;
import io.baton.server.api.RunSubmission;
import io.baton.server.api.RunView;
import io.baton.server.attempts.Approvals;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Instants;
import io.baton.server.core.PageLimits;
import io.baton.server.logs.LogFollows;
import io.baton.server.logs.LogReader;
import io.baton.server.runs.RunAccess;
import io.baton.server.runs.RunEndWaits;
import io.baton.server.runs.RunQueries;
import io.baton.server.runs.RunRecordExport;
import io.baton.server.runs.RunSearch;
import io.baton.server.runs.RunService;
import io.baton.server.temporal.TemporalService;
import io.baton.workflows.RunStatus;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code /api/v1/runs}: submit, list, inspect and cancel runs; read their logs and metrics. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class RunResource {
    private final RunService runs;
    private final RunQueries views;
    private final LogReader logs;
    private final TemporalService temporal;
    private final Approvals approvals;
    private final RunRecordExport records;
    private final RunEndWaits ends;
    private final LogFollows follows;
    private final RunAccess access;

    public RunResource(
            RunAccess access,
            RunService runs,
            RunQueries views,
            LogReader logs,
            TemporalService temporal,
            Approvals approvals,
            RunRecordExport records,
            RunEndWaits ends,
            LogFollows follows) {
        this.runs = runs;
        this.views = views;
        this.logs = logs;
        this.temporal = temporal;
        this.approvals = approvals;
        this.records = records;
        this.ends = ends;
        this.follows = follows;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the run made",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the same run existed already",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response submit(
            RunSubmission submission, @HeaderParam("Idempotency-Key") String idempotencyKey, @Auth Caller caller) {
        RunService.Submitted submitted = runs.submit(submission, caller, idempotencyKey);
        RunView run = submitted.run();
        return Responses.createdOrExisting(submitted.created(), "/api/v1/runs/" + run.id(), run);
    }

    @GET
    public Page<RunView> list(
            @QueryParam("project") String project,
            @QueryParam("pipeline") String pipeline,
            @QueryParam("status") String status,
            @QueryParam("createdBy") String createdBy,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit,
            @QueryParam("param") List<String> param,
            @QueryParam("metric") List<String> metric,
            @QueryParam("sort") String sort,
            @Auth Caller caller) {
        if (project != null && !access.access().can(caller, project, Permission.READ)) {
            throw Access.noProject(project);
        }
        return views.list(
                new RunQueries.RunFilter(
                        project,
                        pipeline,
                        status,
                        createdBy,
                        Instants.parse("since", since),
                        Instants.parse("until", until),
                        access.access().readable(caller).orElse(null)),
                RunSearch.parse(param, metric, sort),
                cursor,
                limit(limit));
    }

    /**
     * The run; with {@code wait} (a duration up to a minute, e.g. {@code 30s}), answers once the run has ended or the
     * wait is over, whichever comes first, instead of at once.
     */
    @GET
    @Path("{id}")
    @ApiResponse(
            responseCode = "200",
            description = "the run (with wait: once it has ended or the wait is over)",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public void get(
            @PathParam("id") String id,
            @QueryParam("wait") String wait,
            @Suspended AsyncResponse response,
            @Auth Caller caller) {
        access.require(caller, id, Permission.READ);
        Duration max = RunEndWaits.parseWait(wait);
        if (max.isZero()) {
            response.resume(views.run(id));
            return;
        }
        response.setTimeout(max.plus(RunEndWaits.MAX_WAIT).toMillis(), TimeUnit.MILLISECONDS); // a backstop only
        ends.whenEnded(id, max, () -> views.run(id), response::resume, response::resume);
    }

    @POST
    @Path("{id}/cancel")
    @ApiResponse(
            responseCode = "202",
            description = "cancelling",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response cancel(@PathParam("id") String id, @Auth Caller caller) {
        access.require(caller, id, Permission.WRITE);
        RunView run = views.run(id);
        if (RunStatus.valueOf(run.status()).terminal()) {
            throw BatonException.conflict("run " + id + " has already ended (" + run.status() + ")");
        }
        try {
            temporal.cancelRun(id);
        } catch (WorkflowNotFoundException | WorkflowServiceException e) {
            // No workflow (never started, or Temporal refused it), or Temporal cannot be reached for a run that is
            // still
            // QUEUED: the database is the truth, and the run ends here (a later start finds it ended).
            boolean queued = RunStatus.valueOf(run.status()) == RunStatus.QUEUED;
            if (!(e instanceof WorkflowNotFoundException) && !queued) {
                throw e;
            }
            if (runs.cancelUnstarted(id)) {
                ends.ended(id);
            }
        }
        return Response.accepted(views.run(id)).build();
    }

    @POST
    @Path("{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the new run made",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response resume(@PathParam("id") String id, ResumeRequest request, @Auth Caller caller) {
        access.require(caller, id, Permission.WRITE);
        RunView run = runs.resume(id, request == null ? null : request.parameters(), caller);
        return Response.created(URI.create("/api/v1/runs/" + run.id()))
                .entity(run)
                .build();
    }

    @POST
    @Path("{id}/reproduce")
    @ApiResponse(
            responseCode = "201",
            description = "the new run made",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response reproduce(@PathParam("id") String id, @Auth Caller caller) {
        access.require(caller, id, Permission.WRITE);
        RunView run = runs.reproduce(id, caller);
        return Response.created(URI.create("/api/v1/runs/" + run.id()))
                .entity(run)
                .build();
    }

    /** The run's whole record; {@code download=true} answers it as a file to save. */
    @GET
    @Path("{id}/record")
    @ApiResponse(
            responseCode = "200",
            description = "the run's whole record",
            content = @Content(schema = @Schema(type = "object")))
    public Response record(
            @PathParam("id") String id,
            @QueryParam("download") @DefaultValue("false") boolean download,
            @Auth Caller caller) {
        access.require(caller, id, Permission.READ);
        Response.ResponseBuilder answer = Response.ok(records.record(id));
        if (download) {
            answer.header("Content-Disposition", "attachment; filename=\"baton-run-" + id + "-record.json\"");
        }
        return answer.build();
    }

    @POST
    @Path("{id}/steps/{step}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "202",
            description = "decided",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response approve(
            @PathParam("id") String id, @PathParam("step") String step, DecisionRequest request, @Auth Caller caller) {
        access.require(caller, id, Permission.APPROVE);
        approvals.decide(id, step, true, request == null ? null : request.note(), caller);
        return Response.accepted(views.run(id)).build();
    }

    @POST
    @Path("{id}/steps/{step}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "202",
            description = "decided",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    public Response reject(
            @PathParam("id") String id, @PathParam("step") String step, DecisionRequest request, @Auth Caller caller) {
        access.require(caller, id, Permission.APPROVE);
        approvals.decide(id, step, false, request == null ? null : request.note(), caller);
        return Response.accepted(views.run(id)).build();
    }

    @GET
    @Path("{id}/artifacts")
    public Page<ArtifactView> artifacts(@PathParam("id") String id, @Auth Caller caller) {
        access.require(caller, id, Permission.READ);
        return views.artifacts(id);
    }

    @GET
    @Path("{id}/metrics")
    @ApiResponse(
            responseCode = "200",
            description = "one series per step, attempt and metric",
            content = @Content(schema = @Schema(implementation = MetricsView.class)))
    public Response metrics(@PathParam("id") String id, @Auth Caller caller) {
        access.require(caller, id, Permission.READ);
        views.requireRun(id);
        StreamingOutput body = out -> views.writeMetrics(id, out);
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("{id}/steps/{step}/logs")
    @Produces(MediaType.TEXT_PLAIN + ";charset=utf-8")
    @ApiResponse(
            responseCode = "200",
            description = "the attempt's log from offset (with follow: until the attempt ends)",
            content = @Content(schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    public Response logs(
            @PathParam("id") String id,
            @PathParam("step") String step,
            @QueryParam("attempt") Integer attempt,
            @QueryParam("offset") @DefaultValue("0") long offset,
            @QueryParam("follow") @DefaultValue("false") boolean follow,
            @Auth Caller caller) {
        access.require(caller, id, Permission.READ);
        if (offset < 0) {
            throw BatonException.badRequest("'offset' must be 0 or more");
        }
        int number = logs.attempt(id, step, attempt);
        if (follow) { // fed by LogFollows' timer: no request thread waits for the attempt's end
            return Response.ok(follows.follow(caller.name(), id, step, number, offset))
                    .header("X-Baton-Attempt", number)
                    .build();
        }
        StreamingOutput body = out -> logs.write(id, step, number, offset, out);
        return Response.ok(body).header("X-Baton-Attempt", number).build();
    }

    /** Read here rather than by JAX-RS, which answers 404 to a query parameter it cannot convert. */
    private static Integer limit(String value) {
        try {
            return value == null ? null : Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw BatonException.badRequest(
                    "'limit' must be a whole number from 1 to " + PageLimits.MAX + ", not '" + value + "'");
        }
    }
}
