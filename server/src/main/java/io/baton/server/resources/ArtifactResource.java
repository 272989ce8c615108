package io.baton.server.resources;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.BundleService;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.registry.Lineage;
import io.dropwizard.auth.Auth;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code GET /api/v1/artifacts/{sha256}}: blob bytes, streamed (workers fetch code bundles here too), and its
 * lineage.
 */
@Path("/api/v1/artifacts")
public final class ArtifactResource {
    private final BlobStore blobs;
    private final Lineage lineage;
    private final BundleService bundles;
    private final Access access;

    public ArtifactResource(BlobStore blobs, Lineage lineage, BundleService bundles, Access access) {
        this.blobs = blobs;
        this.lineage = lineage;
        this.bundles = bundles;
        this.access = access;
    }

    /**
     * The steps that produced the artifact and the steps that read it, and the dataset and model versions holding it,
     * in the projects the caller may read ({@code ?project=} narrows to one).
     */
    @GET
    @Path("{sha256}/lineage")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Caller.USER)
    public Map<String, Object> lineage(
            @PathParam("sha256") String sha256, @QueryParam("project") String project, @Auth Caller caller) {
        return lineage.ofArtifact(sha256, caller, project);
    }

    @GET
    @Path("{sha256}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RolesAllowed({Caller.USER, Caller.WORKER})
    @ApiResponse(
            responseCode = "200",
            description = "the artifact's bytes",
            content = @Content(schema = @Schema(type = "string", format = "binary")))
    public Response download(@PathParam("sha256") String sha256, @Auth Caller caller) {
        if (!FolderBlobStore.isSha256(sha256)) {
            throw BatonException.badRequest("an artifact is named by its sha256: 64 lower-case hex digits");
        }
        OptionalLong size = blobs.size(sha256);
        // a worker fetches bundles and inputs of the steps it runs; anyone else only through a project they may read
        boolean visible = caller.admin()
                || Caller.WORKER.equals(caller.kind())
                || bundles.projectsHolding(sha256).stream().anyMatch(p -> access.can(caller, p, Permission.READ));
        if (size.isEmpty() || !visible) {
            throw BatonException.notFound("no artifact with sha256 " + sha256);
        }
        StreamingOutput body = out -> {
            try (InputStream in = blobs.open(sha256)) {
                in.transferTo(out);
            }
        };
        return Response.ok(body)
                .header("Content-Length", size.getAsLong())
                .header("ETag", "\"" + sha256 + "\"")
                .build();
    }
}
