package io.baton.server.resources;

import io.baton.server.api.BackfillRequest;
import io.baton.server.api.Page;
import io.baton.server.api.RunView;
import io.baton.server.api.ScheduleNoteRequest;
import io.baton.server.api.ScheduleRequest;
import io.baton.server.api.ScheduleView;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.schedules.ScheduleService;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * {@code /api/v1/schedules}: pipelines run on a cron, an interval or each new version of a dataset, in a project
 * ({@code ?project=}, default {@code default}): reading needs the viewer role there, changing the editor's.
 */
@Path("/api/v1/schedules")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class ScheduleResource {
    private final ScheduleService schedules;

    public ScheduleResource(ScheduleService schedules) {
        this.schedules = schedules;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the schedule made",
            content = @Content(schema = @Schema(implementation = ScheduleView.class)))
    public Response create(ScheduleRequest request, @Auth Caller caller) {
        ScheduleView view = schedules.create(request, caller);
        return Responses.created("/api/v1/schedules/" + view.name() + "?project=" + view.project(), view);
    }

    @GET
    public Page<ScheduleView> list(@QueryParam("project") String project, @Auth Caller caller) {
        return schedules.list(project, caller);
    }

    @GET
    @Path("{name}")
    public ScheduleView get(
            @PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        return schedules.get(project, name, caller);
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ScheduleView update(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            ScheduleRequest request,
            @Auth Caller caller) {
        return schedules.update(project, name, request, caller);
    }

    @DELETE
    @Path("{name}")
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response delete(@PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller) {
        schedules.delete(project, name, caller);
        return Response.noContent().build();
    }

    @POST
    @Path("{name}/pause")
    @Consumes(MediaType.APPLICATION_JSON)
    public ScheduleView pause(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            ScheduleNoteRequest request,
            @Auth Caller caller) {
        return schedules.pause(project, name, note(request), true, caller);
    }

    @POST
    @Path("{name}/unpause")
    @Consumes(MediaType.APPLICATION_JSON)
    public ScheduleView unpause(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            ScheduleNoteRequest request,
            @Auth Caller caller) {
        return schedules.pause(project, name, note(request), false, caller);
    }

    private static String note(ScheduleNoteRequest request) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object: {} or {\"note\": \"why\"}");
        }
        return request.note();
    }

    /** One run now: 201 with the run once it is recorded, 202 when it has not appeared within the wait. */
    @POST
    @Path("{name}/trigger")
    @ApiResponse(
            responseCode = "201",
            description = "the run it started",
            content = @Content(schema = @Schema(implementation = RunView.class)))
    @ApiResponse(
            responseCode = "202",
            description = "fired; the run is not recorded yet",
            content = @Content(schema = @Schema(type = "object")))
    public Response trigger(@PathParam("name") String name, @QueryParam("project") String project, @Auth Caller caller)
            throws InterruptedException {
        Optional<RunView> run = schedules.trigger(project, name, caller);
        if (run.isPresent()) {
            return Responses.created("/api/v1/runs/" + run.get().id(), run.get());
        }
        return Response.accepted(Json.object(
                        "message",
                        "the schedule fired; its run has not been recorded yet (see GET /api/v1/schedules/" + name
                                + ", recentRuns)"))
                .build();
    }

    @POST
    @Path("{name}/backfill")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "202",
            description = "the fires of the range are under way",
            content = @Content(schema = @Schema(type = "object")))
    public Response backfill(
            @PathParam("name") String name,
            @QueryParam("project") String project,
            BackfillRequest request,
            @Auth Caller caller) {
        if (request == null) {
            throw BatonException.badRequest(
                    "the body must be {\"from\": \"<ISO instant>\", \"to\": \"<ISO instant>\"}");
        }
        long fires = schedules.backfill(project, name, request.from(), request.to(), caller);
        return Response.accepted(Json.object(
                        "message",
                        "Temporal runs the fires of the range by the schedule's overlap policy",
                        "maxFires",
                        fires))
                .build();
    }
}
