package io.baton.server.blobs;

import io.baton.common.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * Content-addressed storage of bundles and artifacts: a blob's name is the sha256 of its bytes, so the same bytes
 * are stored once however often they are produced. A folder first; an S3-compatible store is the path to scale.
 */
public interface BlobStore {
    /** A private temporary file to stream an upload into before it is {@link #adopt adopted}. */
    Path newTempFile() throws IOException;

    /** Bytes streamed into a private temporary file, hashed on the way; the caller adopts or deletes the file. */
    record Spooled(Path file, String sha256, long size) {}

    /** Streams {@code in} into a new temporary file, hashing it; never holds it whole in memory. */
    default Spooled spool(InputStream in) throws IOException {
        Path temp = newTempFile();
        MessageDigest digest = Hashing.sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
            size = in.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new Spooled(temp, HexFormat.of().formatHex(digest.digest()), size);
    }

    /** Moves a fully written temporary file into the store under its sha256; a duplicate is simply dropped. */
    void adopt(Path tempFile, String sha256) throws IOException;

    OptionalLong size(String sha256);

    InputStream open(String sha256) throws IOException;
}
