package io.baton.server.registry;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

import io.baton.common.Hashing;
import io.baton.server.core.BatonException;
import io.baton.server.db.RegistryFileDao;
import io.baton.server.db.RegistryFileRow;
import io.baton.workflows.ArtifactRef;
import java.util.ArrayList;
import java.util.Arrays;
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
        } else if (Arrays.asList(path.split("[/\\\\]")).contains("..")) {
            problem = "must not contain a '..' segment";
        } else if (path.indexOf('\0') >= 0) {
            problem = "must not contain a NUL character";
        } else if (path.length() > 1024) {
            problem = "is longer than 1024 characters";
        }
        if (problem != null) {
            throw BatonException.badRequest("file path '" + abbreviate(String.valueOf(path), API) + "' " + problem);
        }
        return path;
    }

    static void insert(Handle h, String kind, String project, String name, int version, List<ArtifactRef> files) {
        h.attach(RegistryFileDao.class)
                .insertAll(files.stream()
                        .map(f -> new RegistryFileRow(
                                kind, project, name, version, f.path(), Hashing.sha256(f.path()), f.sha256(), f.size()))
                        .toList());
    }

    static List<ArtifactRef> of(Handle h, String kind, String project, String name, int version) {
        return ofVersions(h, kind, project, name, List.of(version)).getOrDefault(version, List.of());
    }

    /** The files of several versions of one dataset or model in one query (a page of versions), by version. */
    static Map<Integer, List<ArtifactRef>> ofVersions(
            Handle h, String kind, String project, String name, List<Integer> versions) {
        Map<Integer, List<ArtifactRef>> files = new HashMap<>();
        if (versions.isEmpty()) {
            return files;
        }
        for (RegistryFileRow f : h.attach(RegistryFileDao.class).ofVersions(kind, project, name, versions)) {
            files.computeIfAbsent(f.version(), v -> new ArrayList<>())
                    .add(new ArtifactRef(f.path(), f.sha256(), f.sizeBytes()));
        }
        return files;
    }
}
