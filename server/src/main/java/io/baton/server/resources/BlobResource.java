package io.baton.server.resources;

import io.baton.server.auth.Caller;
import io.baton.server.core.BlobStore;
import io.baton.worker.Hashing;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

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
  public record Stored(String sha256, long size) {
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @RolesAllowed({Caller.USER, Caller.WORKER})
  public Stored upload(InputStream body) throws IOException {
    java.nio.file.Path temp = blobs.newTempFile();
    try {
      MessageDigest digest = Hashing.sha256();
      long size;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
        size = body.transferTo(out);
      }
      String sha256 = HexFormat.of().formatHex(digest.digest());
      blobs.adopt(temp, sha256);
      return new Stored(sha256, size);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
