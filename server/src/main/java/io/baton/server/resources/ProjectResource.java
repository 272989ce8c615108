package io.baton.server.resources;

import io.baton.server.access.ProjectService;
import io.baton.server.api.MemberRequest;
import io.baton.server.api.MemberView;
import io.baton.server.api.Page;
import io.baton.server.api.ProjectRequest;
import io.baton.server.api.ProjectView;
import io.baton.server.api.TeamRequest;
import io.baton.server.api.TeamView;
import io.baton.server.auth.Caller;
import io.baton.server.core.AuditNote;
import io.baton.server.core.PageLimits;
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
import java.util.List;

/** {@code /api/v1/projects} with their members, and {@code /api/v1/teams} (global admins manage teams). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Caller.USER)
public final class ProjectResource {
    private final ProjectService projects;

    public ProjectResource(ProjectService projects) {
        this.projects = projects;
    }

    @POST
    @Path("projects")
    @Consumes(MediaType.APPLICATION_JSON)
    @ApiResponse(
            responseCode = "201",
            description = "the project made",
            content = @Content(schema = @Schema(implementation = ProjectView.class)))
    public Response create(ProjectRequest request, @Auth Caller caller) {
        AuditNote.project(request == null ? null : request.name()); // the body's project, for the audit log
        ProjectView project = projects.create(request, caller);
        return Responses.created("/api/v1/projects/" + project.name(), project);
    }

    @GET
    @Path("projects")
    public Page<ProjectView> list(
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit, @Auth Caller caller) {
        int n = PageLimits.size(limit);
        List<ProjectView> page = projects.list(caller, cursor, n);
        return new Page<>(page, page.size() == n ? page.get(n - 1).name() : null);
    }

    @GET
    @Path("projects/{project}")
    public ProjectView get(@PathParam("project") String project, @Auth Caller caller) {
        return projects.get(project, caller);
    }

    @GET
    @Path("projects/{project}/members")
    public Page<MemberView> members(@PathParam("project") String project, @Auth Caller caller) {
        return new Page<>(projects.members(project, caller), null);
    }

    @PUT
    @Path("projects/{project}/members/{member}")
    @Consumes(MediaType.APPLICATION_JSON)
    public MemberView setMember(
            @PathParam("project") String project,
            @PathParam("member") String member,
            MemberRequest request,
            @Auth Caller caller) {
        return projects.setMember(project, member, request, caller);
    }

    @DELETE
    @Path("projects/{project}/members/{member}")
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response removeMember(
            @PathParam("project") String project, @PathParam("member") String member, @Auth Caller caller) {
        projects.removeMember(project, member, caller);
        return Response.noContent().build();
    }

    @POST
    @Path("teams")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    @ApiResponse(
            responseCode = "201",
            description = "the team made",
            content = @Content(schema = @Schema(implementation = TeamView.class)))
    public Response createTeam(TeamRequest request, @Auth Caller caller) {
        TeamView team = projects.createTeam(request, caller);
        return Responses.created("/api/v1/teams/" + team.name(), team);
    }

    @GET
    @Path("teams")
    public Page<TeamView> teams() {
        return new Page<>(projects.teams(), null);
    }

    @GET
    @Path("teams/{team}")
    public TeamView team(@PathParam("team") String team) {
        return projects.team(team);
    }

    @PUT
    @Path("teams/{team}/members/{user}")
    @RolesAllowed(Caller.ADMIN)
    public TeamView addToTeam(@PathParam("team") String team, @PathParam("user") String user, @Auth Caller caller) {
        return projects.addToTeam(team, user, caller);
    }

    @DELETE
    @Path("teams/{team}/members/{user}")
    @RolesAllowed(Caller.ADMIN)
    @ApiResponse(responseCode = "204", description = "deleted")
    public Response removeFromTeam(@PathParam("team") String team, @PathParam("user") String user) {
        projects.removeFromTeam(team, user);
        return Response.noContent().build();
    }
}
