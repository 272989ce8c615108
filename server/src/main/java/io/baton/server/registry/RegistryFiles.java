package io.baton.server.registry;

import io.baton.common.Hashing;
import io.baton.server.core.BatonException;
import io.baton.workflows.ArtifactRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The files of a dataset or model version: rows of {@code registry_files}, content addressed in the blob store. */
public final class RegistryFiles {
    static final String DATASET = "DATASET";
    static final String MODEL = "MODEL";

    private RegistryFiles() {}

    /** What makes two versions the same: their paths and contents, in path order. */
    static String contentSha256(List<ArtifactRef> files) {
        StringBuilder text = new StringBuilder();
        files.stream()
                .sorted(Comparator.comparing(ArtifactRef::path))
                .forEach(f ->
                        text.append(f.path()).append('\n').append(f.sha256()).append('\n'));
        return Hashing.sha256(text.toString());
    }

    /**
     * A version's file path: relative, without a '..' segment, so that it is staged under its input folder and
     * nowhere else. Any other character is fine ({@code data[1].csv} is a file name, not a glob here).
     */
    public static String checkPath(String path) {
        String problem = null;
        if (path == null || path.isBlank()) {
            problem = "is missing";
        } else if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
            problem = "must be relative, not absolute";
        } else if (java.util.Arrays.asList(path.split("[/\\\\]")).contains("..")) {
            problem = "must not contain a '..' segment";
        } else if (path.indexOf('\0') >= 0) {
            problem = "must not contain a NUL character";
        } else if (path.length() > 1024) {
            problem = "is longer than 1024 characters";
        }
        if (problem != null) {
            throw BatonException.badRequest("file path '" + Names.abbreviate(String.valueOf(path)) + "' " + problem);
        }
        return path;
    }

    static void insert(Handle h, String kind, String name, int version, List<ArtifactRef> files) {
        var batch = h.prepareBatch("INSERT INTO registry_files (kind, name, version, path, path_sha256, sha256,"
                + " size_bytes) VALUES (:kind, :name, :version, :path, :pathSha, :sha, :size)");
        for (ArtifactRef f : files) {
            batch.bind("kind", kind)
                    .bind("name", name)
                    .bind("version", version)
                    .bind("path", f.path())
                    .bind("pathSha", Hashing.sha256(f.path()))
                    .bind("sha", f.sha256())
                    .bind("size", f.size())
                    .add();
        }
        batch.execute();
    }

    static List<ArtifactRef> of(Handle h, String kind, String name, int version) {
        return ofVersions(h, kind, name, List.of(version)).getOrDefault(version, List.of());
    }

    /** The files of several versions of one dataset or model in one query (a page of versions), by version. */
    static Map<Integer, List<ArtifactRef>> ofVersions(Handle h, String kind, String name, List<Integer> versions) {
        Map<Integer, List<ArtifactRef>> files = new HashMap<>();
        if (versions.isEmpty()) {
            return files;
        }
        h.createQuery("SELECT version, path, sha256, size_bytes FROM registry_files WHERE kind = :kind AND name = :name"
                        + " AND version IN (<versions>) ORDER BY version, path")
                .bind("kind", kind)
                .bind("name", name)
                .bindList("versions", versions)
                .map((rs, ctx) -> files.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>())
                        .add(new ArtifactRef(rs.getString(2), rs.getString(3), rs.getLong(4))))
                .list();
        return files;
    }
}
