package io.baton.server.mlflow;

import io.baton.server.api.ModelVersionView;
import io.baton.server.api.ModelView;
import io.baton.server.core.BatonException;
import io.baton.server.db.ListCursors;
import io.baton.server.mlflow.MlflowMessages.ModelVersion;
import io.baton.server.mlflow.MlflowMessages.ModelVersions;
import io.baton.server.mlflow.MlflowMessages.RegisteredModel;
import io.baton.server.mlflow.MlflowMessages.RegisteredModels;
import io.baton.server.registry.ModelRegistry;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Baton's model registry read the way MLflow's client reads a registry (gets, and searches with page tokens), one
 * project per tracking URI: every method reads one project's models.
 */
public final class MlflowRegistry {
    private static final Set<String> MODEL_ATTRIBUTES = Set.of("name");
    private static final Set<String> VERSION_ATTRIBUTES = Set.of("name", "run_id");
    /** MLflow's own defaults and limits for {@code max_results}. */
    private static final int MODELS_DEFAULT = 100;

    private static final int MODELS_MAX = 1000;
    private static final int VERSIONS_DEFAULT = 10_000;
    private static final int VERSIONS_MAX = 200_000;

    private final ModelRegistry models;
    private final CandidateQueries candidates;

    public MlflowRegistry(ModelRegistry models, Jdbi jdbi) {
        this.models = models;
        this.candidates = new CandidateQueries(jdbi);
    }

    public RegisteredModel registeredModel(String project, String name) {
        ModelView model = models.model(project, required("name", name));
        ModelVersionView latest =
                model.latestVersion() == null ? null : models.version(project, name, model.latestVersion());
        return MlflowMapping.registeredModel(model, latest);
    }

    public ModelVersion modelVersion(String project, String name, String version) {
        return MlflowMapping.modelVersion(models.version(project, required("name", name), number(version)));
    }

    public ModelVersion modelVersionByAlias(String project, String name, String alias) {
        return MlflowMapping.modelVersion(
                models.versionByAlias(project, required("name", name), required("alias", alias)));
    }

    /** Where MLflow's client downloads a version's files: {@link MlflowArtifacts} on this server ({@code base} is the project's tracking URI). */
    public String downloadUri(String project, String name, String version, URI base) {
        ModelVersionView v = models.version(project, required("name", name), number(version));
        return MlflowArtifacts.downloadUri(base, v.model(), v.version());
    }

    /** The newest version, as the one version of stage "None": every Baton version is in that stage. */
    public List<ModelVersion> latestVersions(String project, String name, List<String> stages) {
        ModelView model = models.model(project, required("name", name));
        boolean noneAsked = stages == null
                || stages.isEmpty()
                || stages.stream().anyMatch(MlflowMapping.NO_STAGE::equalsIgnoreCase);
        if (model.latestVersion() == null || !noneAsked) {
            return List.of();
        }
        return List.of(MlflowMapping.modelVersion(models.version(project, name, model.latestVersion())));
    }

    public RegisteredModels searchModels(
            String project, String filter, String maxResults, List<String> orderBy, String pageToken) {
        SearchFilter parsed = SearchFilter.parse(filter, MODEL_ATTRIBUTES);
        int max = maxResults(maxResults, MODELS_DEFAULT, MODELS_MAX);
        Comparator<Candidate> order = SearchOrder.parse(orderBy, SearchOrder.MODEL_FIELDS, SearchOrder.MODEL_DEFAULT);
        Slice<Candidate> page = slice(
                candidates.models(project, parsed.equalTo("name")).stream()
                        .filter(c -> parsed.matches(c.attributes(), c.tags()))
                        .sorted(order)
                        .toList(),
                pageToken,
                max);
        return new RegisteredModels(
                page.items().stream()
                        .map(c -> registeredModel(project, c.name()))
                        .toList(),
                page.nextPageToken());
    }

    public ModelVersions searchVersions(
            String project, String filter, String maxResults, List<String> orderBy, String pageToken) {
        SearchFilter parsed = SearchFilter.parse(filter, VERSION_ATTRIBUTES);
        int max = maxResults(maxResults, VERSIONS_DEFAULT, VERSIONS_MAX);
        Comparator<Candidate> order =
                SearchOrder.parse(orderBy, SearchOrder.VERSION_FIELDS, SearchOrder.VERSION_DEFAULT);
        Slice<Candidate> page = slice(
                candidates.versions(project, parsed.equalTo("name"), parsed.equalTo("run_id")).stream()
                        .filter(c -> parsed.matches(c.attributes(), c.tags()))
                        .sorted(order)
                        .toList(),
                pageToken,
                max);
        return new ModelVersions(
                page.items().stream()
                        .map(c -> MlflowMapping.modelVersion(models.version(project, c.name(), c.version())))
                        .toList(),
                page.nextPageToken());
    }

    /** One page of {@code sorted}, with the token of the next page (null on the last one). */
    private record Slice<T>(List<T> items, String nextPageToken) {}

    private static <T> Slice<T> slice(List<T> sorted, String pageToken, int maxResults) {
        int from = Math.min(ListCursors.offset(pageToken, BatonException::badRequest), sorted.size());
        int to = (int) Math.min((long) from + maxResults, sorted.size());
        String next = to < sorted.size() ? ListCursors.encode(Integer.toString(to)) : null;
        return new Slice<>(sorted.subList(from, to), next);
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw BatonException.badRequest("'" + name + "' is required");
        }
        return value;
    }

    private static int number(String version) {
        try {
            return Integer.parseInt(required("version", version));
        } catch (NumberFormatException e) {
            throw BatonException.badRequest("'version' must be a version number such as 3, not '" + version + "'");
        }
    }

    private static int maxResults(String value, int fallback, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw BatonException.badRequest("'max_results' must be a number from 1 to " + max + ", not '" + value + "'");
    }
}
