package io.baton.server.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.api.ModelVersionView;
import io.baton.server.api.ModelView;
import io.baton.server.core.Json;
import io.baton.server.db.ModelAliasDao;
import io.baton.server.db.ModelAliasRow;
import io.baton.server.db.ModelDao;
import io.baton.server.db.ModelDao.SourceMetric;
import io.baton.server.db.ModelRow;
import io.baton.server.db.ModelVersionRow;
import io.baton.workflows.ArtifactRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/** Models and model versions as the API shows them, with their aliases, files and source runs' metrics. */
final class ModelViews {
    private ModelViews() {}

    static ModelView view(Handle h, ModelRow m) {
        Integer latest =
                h.attach(ModelDao.class).latestVersion(m.project(), m.name()).orElse(null);
        Map<String, Integer> aliases = new LinkedHashMap<>();
        h.attach(ModelAliasDao.class).ofModel(m.project(), m.name()).forEach(a -> aliases.put(a.alias(), a.version()));
        return new ModelView(
                m.name(),
                m.project(),
                m.description(),
                tags(m.tags()),
                m.createdBy(),
                Instant.ofEpochMilli(m.createdAt()),
                Instant.ofEpochMilli(m.updatedAt()),
                latest,
                aliases,
                protectedAliases(m),
                m.createdById());
    }

    /** The aliases of {@code m} that only the 'promote' permission (or a project admin) may move. */
    static List<String> protectedAliases(ModelRow m) {
        return Json.read(m.protectedAliases(), new TypeReference<List<String>>() {});
    }

    static ModelVersionView versionView(Handle h, ModelRow m, ModelVersionRow v) {
        return versionViews(h, m, List.of(v)).get(0);
    }

    /** Versions of one model as the API shows them: three queries for a whole page, not three per version. */
    static List<ModelVersionView> versionViews(Handle h, ModelRow m, List<ModelVersionRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> runs = rows.stream()
                .map(ModelVersionRow::sourceRun)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Map<String, Map<String, Double>> metrics = new HashMap<>();
        if (!runs.isEmpty()) {
            for (SourceMetric metric : h.attach(ModelDao.class).sourceMetrics(runs)) {
                metrics.computeIfAbsent(metric.runId(), r -> new LinkedHashMap<>())
                        .put(metric.name(), metric.metricValue());
            }
        }
        List<Integer> versions = rows.stream().map(ModelVersionRow::version).toList();
        Map<Integer, List<String>> aliases = new HashMap<>();
        for (ModelAliasRow a : h.attach(ModelAliasDao.class).ofVersions(m.project(), m.name(), versions)) {
            aliases.computeIfAbsent(a.version(), v -> new ArrayList<>()).add(a.alias());
        }
        Map<Integer, List<ArtifactRef>> files =
                RegistryFiles.ofVersions(h, RegistryFiles.MODEL, m.project(), m.name(), versions);
        return rows.stream()
                .map(v -> new ModelVersionView(
                        v.model(),
                        v.version(),
                        m.project(),
                        v.sourceRun(),
                        v.sourceStep(),
                        files.getOrDefault(v.version(), List.of()),
                        v.sourceRun() == null ? Map.of() : metrics.getOrDefault(v.sourceRun(), Map.of()),
                        v.description(),
                        tags(v.tags()),
                        v.status(),
                        v.statusBy(),
                        v.statusNote(),
                        v.statusAt() == null ? null : Instant.ofEpochMilli(v.statusAt()),
                        aliases.getOrDefault(v.version(), List.of()),
                        v.createdBy(),
                        Instant.ofEpochMilli(v.createdAt()),
                        v.createdById(),
                        v.statusById()))
                .toList();
    }

    private static Map<String, String> tags(String json) {
        return Json.read(json, new TypeReference<LinkedHashMap<String, String>>() {});
    }
}
