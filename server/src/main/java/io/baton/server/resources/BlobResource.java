package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * {@code POST /api/v1/blobs}: stores bytes in the content-addressed store, streamed and hashed on the way, and
 * answers their sha256. Workers upload step outputs here; the same bytes are stored once.
 */
@Path("/api/v1/blobs")
@Produces(MediaType.APPLICATION_JSON)
public final class BlobResource {
    private final BlobStore blobs;

    public BlobResource(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** The stored blob. */
    public record Stored(String sha256, long size) {}

    @POST
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Caller.USER, Caller.WORKER})
    public Stored upload(InputStream body) throws IOException {
        BlobStore.Spooled spooled = blobs.spool(body);
        try {
            blobs.adopt(spooled.file(), spooled.sha256());
            return new Stored(spooled.sha256(), spooled.size());
        } finally {
            Files.deleteIfExists(spooled.file());
        }
    }
}
