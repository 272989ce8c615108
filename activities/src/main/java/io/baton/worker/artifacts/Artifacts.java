package io.baton.worker.artifacts;

import io.baton.worker.client.ServerClient;
import io.baton.worker.workspace.Workspace;
import io.baton.workflows.ArtifactRef;
import io.baton.workflows.StagedInput;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Moves files between a workspace and the server's blob store: inputs down (through the {@link BlobCache}), outputs
 * up as references; only regular files count, a link in the outputs is never followed.
 */
public final class Artifacts {
    /** A staged input's mode (the cached blob is read-only; the step's copy is its own, as before). */
    private static final Set<PosixFilePermission> WRITABLE = PosixFilePermissions.fromString("rw-------");

    private final ServerClient server;
    private final BlobCache cache;

    public Artifacts(ServerClient server, Path workDir) throws IOException {
        this.server = server;
        this.cache = new BlobCache(workDir.resolve("blobs"), server::download);
    }

    public void stage(List<StagedInput> inputs, Path inputsFolder) throws IOException {
        // compared as normalized absolute paths: a work folder given as ./data/worker is inside itself too
        Path inputsDir = inputsFolder.toAbsolutePath().normalize();
        for (StagedInput input : inputs) {
            Path folder = inputsDir.resolve(Workspace.readable(input.name()));
            if (input.producer() != null) {
                folder = folder.resolve(Workspace.readable(input.producer()));
            }
            Path target = folder.resolve(input.path()).normalize();
            if (!target.startsWith(inputsDir)) {
                throw new IOException("input path '" + input.path() + "' leaves the inputs folder");
            }
            Files.createDirectories(target.getParent());
            // a copy, never a link: the step may write its inputs, and the cached blob must stay as checked
            cache.use(input.sha256(), file -> {
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(target, WRITABLE);
            });
        }
    }

    /** Uses the blob's file in this worker's cache, checked (downloaded first if needed). */
    <E extends Exception> void use(String sha256, BlobCache.Use<E> use) throws IOException, E {
        cache.use(sha256, use);
    }

    /** Uploads every regular file under {@code outputsDir}; returns their references in path order. */
    public List<ArtifactRef> collect(Path outputsDir) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(outputsDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        List<ArtifactRef> refs = new ArrayList<>();
        for (Path file : files.stream().sorted().toList()) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            String path = outputsDir.relativize(file).toString().replace('\\', '/');
            ServerClient.Upload upload = server.upload(file);
            refs.add(new ArtifactRef(path, upload.sha256(), upload.size()));
        }
        return refs;
    }
}
