package io.baton.server.mlflow;

import io.baton.server.api.ModelVersionView;
import io.baton.server.api.ModelView;
import io.baton.server.mlflow.MlflowMessages.Alias;
import io.baton.server.mlflow.MlflowMessages.ModelVersion;
import io.baton.server.mlflow.MlflowMessages.RegisteredModel;
import io.baton.server.mlflow.MlflowMessages.Tag;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Baton's models and versions as MLflow messages. A Baton version is registered once its files exist, so MLflow's
 * status is always READY and its stage "None"; Baton's review status and origin travel as {@code baton.*} tags.
 */
final class MlflowMapping {
    static final String READY = "READY";
    static final String NO_STAGE = "None";
    static final String TAG_PROJECT = "baton.project";
    static final String TAG_STATUS = "baton.status";
    static final String TAG_STEP = "baton.step";

    private MlflowMapping() {}

    static RegisteredModel registeredModel(ModelView model, ModelVersionView latest) {
        List<Alias> aliases = model.aliases().entrySet().stream()
                .map(a -> new Alias(a.getKey(), Integer.toString(a.getValue())))
                .toList();
        return new RegisteredModel(
                model.name(),
                millis(model.createdAt()),
                millis(model.updatedAt()),
                model.createdBy(),
                model.description(),
                latest == null ? List.of() : List.of(modelVersion(latest)),
                tags(modelTags(model.project(), model.tags())),
                aliases);
    }

    static ModelVersion modelVersion(ModelVersionView v) {
        return new ModelVersion(
                v.model(),
                Integer.toString(v.version()),
                millis(v.createdAt()),
                millis(v.statusAt() == null ? v.createdAt() : v.statusAt()),
                v.createdBy(),
                NO_STAGE,
                v.description(),
                source(v.run(), v.step()),
                v.run(),
                READY,
                tags(versionTags(v.project(), v.step(), v.status(), v.tags())),
                v.aliases());
    }

    /** A model's tags as MLflow sees them: its own and {@code baton.project}. */
    static Map<String, String> modelTags(String project, Map<String, String> tags) {
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put(TAG_PROJECT, project);
        return all;
    }

    /** A version's tags as MLflow sees them: its own, its project, step and review status. */
    static Map<String, String> versionTags(String project, String step, String status, Map<String, String> tags) {
        Map<String, String> all = modelTags(project, tags);
        all.put(TAG_STEP, step);
        all.put(TAG_STATUS, status);
        return all;
    }

    /** Where a version's files came from: the outputs of a step of a run. */
    static String source(String run, String step) {
        return "baton://runs/" + run + "/steps/" + step;
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(t -> new Tag(t.getKey(), t.getValue()))
                .toList();
    }

    private static long millis(Instant time) {
        return time.toEpochMilli();
    }
}
