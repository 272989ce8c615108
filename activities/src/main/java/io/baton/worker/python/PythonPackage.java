package io.baton.worker.python;

import io.baton.worker.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Baton's Python package ({@code python/baton}, in the worker's jar), importable by every step without an install:
 * written by the worker into its sitecustomize folder, which steps read but never write, and put last on their
 * {@code PYTHONPATH}.
 */
public final class PythonPackage {
    private static final Logger log = LoggerFactory.getLogger(PythonPackage.class);
    /** The package's modules; PythonPackageTest fails when python/baton holds others. */
    static final List<String> MODULES =
            List.of("__init__.py", "bundle.py", "client.py", "config.py", "errors.py", "step.py");

    /** Where {@link #copyInto} puts the package in a workspace, which a container mounts as {@code /workspace}. */
    static final String IN_WORKSPACE = ".baton-python";

    /** The folder holding {@code baton/}; null when it could not be written (steps then go without it). */
    private final Path folder;

    private PythonPackage(Path folder) {
        this.folder = folder;
    }

    /**
     * Writes the package into {@code workDir/python/lib/baton} (whole, replacing an older one), readable by all (a
     * step user of its own reads it), or by the owner alone when the work folder is private (local mode's data
     * folder, which is its owner's alone: its steps run as that owner).
     */
    public static PythonPackage install(Path workDir) {
        Path lib = workDir.resolve("python").resolve("lib");
        Path target = lib.resolve("baton");
        try {
            Files.createDirectories(target);
            boolean private_ = isPrivate(workDir);
            for (Path dir : List.of(lib, target)) {
                Files.setPosixFilePermissions(
                        dir, PosixFilePermissions.fromString(private_ ? "rwx------" : "rwxr-xr-x"));
            }
            try (var old = Files.list(target)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (Files.isRegularFile(p)
                            && !MODULES.contains(p.getFileName().toString())) {
                        Files.delete(p);
                    }
                }
            }
            for (String module : MODULES) {
                write(module, target, private_ ? "rw-------" : "rw-r--r--");
            }
            return new PythonPackage(lib.toAbsolutePath());
        } catch (IOException | UnsupportedOperationException e) {
            log.warn(
                    "cannot write Baton's Python package into {} ({}); steps cannot import baton", lib, e.getMessage());
            return new PythonPackage(null);
        }
    }

    private static boolean isPrivate(Path workDir) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(workDir);
        return permissions.stream()
                .noneMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
    }

    private static void write(String module, Path target, String permissions) throws IOException {
        try (InputStream in = PythonPackage.class.getResourceAsStream("package/baton/" + module)) {
            if (in == null) {
                throw new IOException("baton/" + module + " is missing from the worker's jar");
            }
            Path temp = Files.createTempFile(target, module, ".tmp");
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions));
                Files.move(
                        temp,
                        target.resolve(module),
                        StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** The folder to put on {@code PYTHONPATH}; null when the package could not be written. */
    public Path folder() {
        return folder;
    }

    /**
     * Puts the package last on {@code env}'s {@code PYTHONPATH}: a step's own entries (its spec's {@code env}) come
     * first, so that a module of theirs named {@code baton} wins. A step in a container image gets the copy that
     * {@link #copyInto} makes in its workspace (the worker's folder is not inside its image).
     */
    public void addTo(Map<String, String> env, Workspace workspace, boolean inImage) {
        if (folder == null) {
            return;
        }
        Path entry = inImage ? workspace.root().resolve(IN_WORKSPACE) : folder;
        String path = env.get(PythonOutput.PYTHONPATH);
        env.put(PythonOutput.PYTHONPATH, path == null || path.isEmpty() ? entry.toString() : path + ":" + entry);
    }

    /** Copies the package into the staged workspace of a step run in a container image, which mounts it. */
    public void copyInto(Workspace workspace) throws IOException {
        if (folder == null) {
            return;
        }
        Path target =
                Files.createDirectories(workspace.root().resolve(IN_WORKSPACE).resolve("baton"));
        for (String module : MODULES) {
            Files.copy(folder.resolve("baton").resolve(module), target.resolve(module));
        }
    }
}
