package io.baton.server.resources;

import io.baton.server.access.UserService;
import io.baton.server.api.LoginRequest;
import io.baton.server.api.LoginView;
import io.baton.server.api.MeView;
import io.baton.server.api.Page;
import io.baton.server.api.UserRequest;
import io.baton.server.api.UserView;
import io.baton.server.auth.Caller;
import io.baton.server.auth.Public;
import io.baton.server.core.AuditNote;
import io.baton.server.core.BatonException;
import io.baton.server.core.PageLimits;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

/** Users ({@code /api/v1/users}, global admins), sign-in ({@code /api/v1/login}, public) and {@code /api/v1/me}. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class UserResource {
    private final UserService users;

    public UserResource(UserService users) {
        this.users = users;
    }

    @POST
    @Path("users")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.ADMIN)
    @ApiResponse(
            responseCode = "201",
            description = "the user made",
            content = @Content(schema = @Schema(implementation = UserView.class)))
    public Response create(UserRequest request, @Auth Caller caller) {
        UserView user = users.create(request, caller);
        return Responses.created("/api/v1/users/" + user.name(), user);
    }

    @GET
    @Path("users")
    @RolesAllowed(Caller.ADMIN)
    public Page<UserView> list(@QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        int n = PageLimits.size(limit);
        List<UserView> page = users.list(cursor, n);
        return new Page<>(page, page.size() == n ? page.get(n - 1).name() : null);
    }

    @GET
    @Path("users/{name}")
    @RolesAllowed(Caller.USER)
    public UserView get(@PathParam("name") String name, @Auth Caller caller) {
        if (!caller.admin() && !name.equals(caller.name())) {
            throw BatonException.notFound("no user '" + name + "'");
        }
        return users.get(name);
    }

    /** Disables a user (records keep their name; their tokens stop working). */
    @DELETE
    @Path("users/{name}")
    @RolesAllowed(Caller.ADMIN)
    @ApiResponse(responseCode = "204", description = "disabled")
    public Response disable(@PathParam("name") String name, @Auth Caller caller) {
        users.disable(name, caller);
        return Response.noContent().build();
    }

    @PUT
    @Path("users/{name}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.USER)
    @ApiResponse(responseCode = "204", description = "changed")
    public Response password(@PathParam("name") String name, Map<String, String> body, @Auth Caller caller) {
        if (body == null || body.get("password") == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'password'");
        }
        users.setPassword(name, body.get("password"), caller);
        return Response.noContent().build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Public
    @ApiResponse(
            responseCode = "200",
            description = "a session token",
            content = @Content(schema = @Schema(implementation = LoginView.class)))
    @ApiResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    public LoginView login(LoginRequest request, @Context HttpServletRequest http) {
        AuditNote.user(request == null ? null : request.name()); // who tried to sign in, in the audit log
        return users.login(request, http.getRemoteAddr());
    }

    @GET
    @Path("me")
    @PermitAll
    public MeView me(@Auth Caller caller) {
        return users.me(caller);
    }
}
