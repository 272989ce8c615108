package io.baton.server.mlflow;

import io.baton.server.api.ModelVersionView;
import io.baton.server.core.BatonException;
import io.baton.server.mlflow.MlflowMessages.FileInfo;
import io.baton.server.registry.ModelRegistry;
import io.baton.workflows.ArtifactRef;
import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a project's model versions as MLflow's artifact API shows them, under {@code models/<name>/<version>/}
 * of the project's tracking URI.
 */
public final class MlflowArtifacts {
    private static final String ARTIFACTS = "api/2.0/mlflow-artifacts/artifacts/";
    private static final String MODELS = "models";
    private final ModelRegistry models;

    public MlflowArtifacts(ModelRegistry models) {
        this.models = models;
    }

    /** Where MLflow's HTTP artifact repository finds a version's files on this server. */
    static String downloadUri(URI base, String model, int version) {
        return base.resolve(ARTIFACTS + MODELS + "/" + model + "/" + version).toString(); // base ends with '/'
    }

    /** What lies directly under {@code path} (a version's folder or a folder in it); nothing for a file. */
    public List<FileInfo> list(String project, String path) {
        Location at = locate(project, path);
        String prefix = at.file().isEmpty() ? "" : at.file() + "/";
        Map<String, FileInfo> children = new LinkedHashMap<>();
        for (ArtifactRef f : at.version().files()) {
            if (f.path().startsWith(prefix)) {
                String rest = f.path().substring(prefix.length());
                int slash = rest.indexOf('/');
                String child = slash < 0 ? rest : rest.substring(0, slash);
                children.putIfAbsent(
                        child, slash < 0 ? new FileInfo(child, false, f.size()) : new FileInfo(child, true, null));
            }
        }
        return children.values().stream()
                .sorted(Comparator.comparing(FileInfo::path))
                .toList();
    }

    /** The file at {@code path}, to be fetched by its sha256. */
    public ArtifactRef file(String project, String path) {
        Location at = locate(project, path);
        return at.version().files().stream()
                .filter(f -> f.path().equals(at.file()))
                .findFirst()
                .orElseThrow(
                        () -> BatonException.notFound("model '" + at.version().model() + "' version "
                                + at.version().version() + " has no file '" + at.file() + "'"));
    }

    private record Location(ModelVersionView version, String file) {}

    /** {@code models/<name>/<version>[/<file or folder>]}: the version and the path inside it. */
    private Location locate(String project, String path) {
        String[] parts = (path == null ? "" : path.replaceAll("^/+|/+$", "")).split("/", 4);
        if (parts.length < 3 || !parts[0].equals(MODELS) || !parts[2].matches("[0-9]{1,9}")) {
            throw BatonException.notFound("Baton serves the files of model versions only, under"
                    + " models/<name>/<version>/, not '" + path + "'");
        }
        return new Location(
                models.version(project, parts[1], Integer.parseInt(parts[2])), parts.length == 4 ? parts[3] : "");
    }
}
