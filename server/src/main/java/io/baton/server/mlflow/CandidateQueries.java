package io.baton.server.mlflow;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.core.Json;
import io.baton.server.db.ModelDao;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Every model or model version as a {@link Candidate}, narrowed in SQL by a filter's exact name or run. */
final class CandidateQueries {
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {};
    private final Jdbi jdbi;

    CandidateQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A project's models, all or the one named {@code name}. */
    List<Candidate> models(String project, String name) {
        return jdbi.withHandle(h -> h.attach(ModelDao.class).named(project, name).stream()
                .map(m -> new Candidate(
                        m.name(),
                        0,
                        null,
                        MlflowMapping.modelTags(m.project(), tags(m.tags())),
                        m.createdAt(),
                        m.updatedAt()))
                .toList());
    }

    /** A project's model versions, narrowed to a model and/or a run when not null. */
    List<Candidate> versions(String project, String model, String run) {
        return jdbi.withHandle(h -> h.attach(ModelDao.class).versionsInProject(project, model, run).stream()
                .map(v -> new Candidate(
                        v.model(),
                        v.version(),
                        v.sourceRun(),
                        MlflowMapping.versionTags(v.project(), v.sourceStep(), v.status(), tags(v.tags())),
                        v.createdAt(),
                        v.statusAt() == null ? v.createdAt() : v.statusAt()))
                .toList());
    }

    private static Map<String, String> tags(String json) {
        return Json.read(json, TAGS);
    }
}
