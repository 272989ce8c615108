package io.baton.server.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/** A {@link BlobStore} in a folder (local disk, or a mount shared by the server replicas). */
public final class FolderBlobStore implements BlobStore {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private final Path root;
    private final Path tmp;

    public FolderBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
        this.tmp = Files.createDirectories(root.resolve("tmp"));
    }

    @Override
    public Path newTempFile() throws IOException {
        return Files.createTempFile(tmp, "upload-", ".part");
    }

    @Override
    public void adopt(Path tempFile, String sha256) throws IOException {
        Path target = path(sha256);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.deleteIfExists(tempFile);
            return;
        }
        try {
            Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tempFile);
        }
    }

    @Override
    public OptionalLong size(String sha256) {
        try {
            Path p = path(sha256);
            return Files.exists(p) ? OptionalLong.of(Files.size(p)) : OptionalLong.empty();
        } catch (IOException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(path(sha256));
    }

    /** The only way a name becomes a path: a sha256 in lower-case hex, nothing else, so no path can escape. */
    private Path path(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    public static boolean isSha256(String s) {
        return s != null && SHA256.matcher(s).matches();
    }
}
