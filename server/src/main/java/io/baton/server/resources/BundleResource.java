package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.BundleView;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BundleService;
import io.baton.server.core.Projects;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;

/** {@code POST /api/v1/bundles}: a tar.gz of the code, as the raw body. */
@Path("/api/v1/bundles")
@Produces(MediaType.APPLICATION_JSON)
public final class BundleResource {
    private final BundleService bundles;
    private final Access access;

    public BundleResource(BundleService bundles, Access access) {
        this.bundles = bundles;
        this.access = access;
    }

    @POST
    @RolesAllowed(Caller.USER)
    @Consumes({"application/gzip", "application/x-gzip", "application/x-tar", MediaType.APPLICATION_OCTET_STREAM})
    @ApiResponse(
            responseCode = "201",
            description = "the bundle made",
            content = @Content(schema = @Schema(implementation = BundleView.class)))
    @ApiResponse(
            responseCode = "200",
            description = "the same bundle existed already",
            content = @Content(schema = @Schema(implementation = BundleView.class)))
    public Response upload(InputStream body, @QueryParam("project") String project, @Auth Caller caller)
            throws IOException {
        String p = Projects.check(project);
        access.require(caller, p, Permission.WRITE);
        BundleService.Upload upload = bundles.upload(body, caller.name(), p);
        BundleView view = upload.bundle();
        return Responses.createdOrExisting(upload.created(), "/api/v1/bundles/" + view.sha256(), view);
    }
}
