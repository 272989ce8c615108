package io.baton.server.mlflow;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the registry's tables for searches in one query each: every model or model version as a {@link Candidate},
 * narrowed in SQL by an exact name or run when the filter has one (the filter itself is applied after).
 */
final class CandidateQueries {
    private static final TypeReference<LinkedHashMap<String, String>> TAGS = new TypeReference<>() {};
    private final Jdbi jdbi;

    CandidateQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Models, all or the one named {@code name}. */
    List<Candidate> models(String name) {
        return jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT name, project, tags, created_at, updated_at FROM models"
                    + (name == null ? "" : " WHERE name = :name"));
            if (name != null) {
                q.bind("name", name);
            }
            return q.map((rs, ctx) -> new Candidate(
                            rs.getString("name"),
                            0,
                            null,
                            MlflowMapping.modelTags(rs.getString("project"), tags(rs.getString("tags"))),
                            rs.getLong("created_at"),
                            rs.getLong("updated_at")))
                    .list();
        });
    }

    /** Model versions, narrowed to a model and/or a run when not null. */
    List<Candidate> versions(String model, String run) {
        return jdbi.withHandle(h -> {
            Query q = h.createQuery("SELECT v.model, v.version, v.source_run, v.source_step, v.tags, v.status,"
                    + " v.status_at, v.created_at, m.project FROM model_versions v JOIN models m ON m.name = v.model"
                    + " WHERE 1 = 1" + (model == null ? "" : " AND v.model = :model")
                    + (run == null ? "" : " AND v.source_run = :run"));
            if (model != null) {
                q.bind("model", model);
            }
            if (run != null) {
                q.bind("run", run);
            }
            return q.map((rs, ctx) -> {
                        long created = rs.getLong("created_at");
                        Long reviewed = rs.getObject("status_at", Long.class);
                        Map<String, String> tags = MlflowMapping.versionTags(
                                rs.getString("project"),
                                rs.getString("source_step"),
                                rs.getString("status"),
                                tags(rs.getString("tags")));
                        return new Candidate(
                                rs.getString("model"),
                                rs.getInt("version"),
                                rs.getString("source_run"),
                                tags,
                                created,
                                reviewed == null ? created : reviewed);
                    })
                    .list();
        });
    }

    private static Map<String, String> tags(String json) {
        return Json.read(json, TAGS);
    }
}
