package io.baton.server.registry;

import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.workflows.StepStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Where artifacts come from and go to. An artifact's lineage is one hop each way: the steps that produced it and the
 * steps that read it (plus the dataset and model versions holding it). A model version's lineage walks the graph
 * upstream to its roots: the steps and runs that made it, their inputs, the steps, datasets and models behind those,
 * and each run's code bundle and spec. Edges point downstream, the way data flows.
 */
public final class Lineage {
    /** Stops a walk through a pathological graph; the answer says when it was cut short. */
    static final int MAX_NODES = 2000;

    private static final int MAX_ROWS = 500;

    private final Jdbi jdbi;
    private final BlobStore blobs;

    public Lineage(Jdbi jdbi, BlobStore blobs) {
        this.jdbi = jdbi;
        this.blobs = blobs;
    }

    public Map<String, Object> ofArtifact(String sha256) {
        if (!FolderBlobStore.isSha256(sha256)) {
            throw BatonException.badRequest("an artifact is named by its sha256: 64 lower-case hex digits");
        }
        OptionalLong size = blobs.size(sha256);
        if (size.isEmpty()) {
            throw BatonException.notFound("no artifact with sha256 " + sha256);
        }
        return jdbi.withHandle(h -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sha256", sha256);
            answer.put("size", size.getAsLong());
            answer.put(
                    "producedBy",
                    h.createQuery("SELECT a.run_id, a.step, a.attempt, a.path, a.created_at, r.project"
                                    + " FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE a.sha256 = :sha"
                                    + " ORDER BY a.created_at, a.run_id LIMIT " + MAX_ROWS)
                            .bind("sha", sha256)
                            .map((rs, ctx) -> Json.object(
                                    "run",
                                    rs.getString(1),
                                    "step",
                                    rs.getString(2),
                                    "attempt",
                                    rs.getInt(3),
                                    "path",
                                    rs.getString(4),
                                    "at",
                                    Instant.ofEpochMilli(rs.getLong(5)),
                                    "project",
                                    rs.getString(6)))
                            .list());
            answer.put(
                    "usedBy",
                    h.createQuery("SELECT run_id, step, input_name, producer, path, source FROM step_inputs"
                                    + " WHERE sha256 = :sha ORDER BY run_id, step LIMIT " + MAX_ROWS)
                            .bind("sha", sha256)
                            .map((rs, ctx) -> Json.object(
                                    "run",
                                    rs.getString(1),
                                    "step",
                                    rs.getString(2),
                                    "input",
                                    rs.getString(3),
                                    "path",
                                    staged(rs.getString(4), rs.getString(5)),
                                    "source",
                                    rs.getString(6)))
                            .list());
            answer.put("datasets", holders(h, RegistryFiles.DATASET, sha256));
            answer.put("models", holders(h, RegistryFiles.MODEL, sha256));
            answer.put(
                    "bundleOf",
                    h.createQuery("SELECT id FROM runs WHERE bundle = :sha ORDER BY id LIMIT " + MAX_ROWS)
                            .bind("sha", sha256)
                            .mapTo(String.class)
                            .list());
            return answer;
        });
    }

    private static List<Map<String, Object>> holders(Handle h, String kind, String sha256) {
        return h.createQuery("SELECT name, version, path FROM registry_files WHERE kind = :kind AND sha256 = :sha"
                        + " ORDER BY name, version LIMIT " + MAX_ROWS)
                .bind("kind", kind)
                .bind("sha", sha256)
                .map((rs, ctx) ->
                        Json.object("name", rs.getString(1), "version", rs.getInt(2), "path", rs.getString(3)))
                .list();
    }

    /** The upstream graph of a model version: {@code root}, {@code nodes}, {@code edges}, {@code complete}. */
    public Map<String, Object> ofModelVersion(String model, int version) {
        return jdbi.withHandle(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM model_versions WHERE model = :m AND version = :v")
                            .bind("m", model)
                            .bind("v", version)
                            .mapTo(Integer.class)
                            .one()
                    == 0) {
                throw BatonException.notFound(
                        h.createQuery("SELECT COUNT(*) FROM models WHERE name = :m")
                                                .bind("m", model)
                                                .mapTo(Integer.class)
                                                .one()
                                        == 0
                                ? "no model named '" + Names.abbreviate(model) + "'"
                                : "model '" + model + "' has no version " + version);
            }
            Walk walk = new Walk(h);
            String root = walk.modelVersion(model, version);
            walk.run();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("root", root);
            answer.put("complete", walk.nodes.size() < MAX_NODES);
            answer.put("nodes", new ArrayList<>(walk.nodes.values()));
            answer.put("edges", new ArrayList<>(walk.edges));
            return answer;
        });
    }

    /** A breadth-first walk upstream; each node is expanded once. */
    private static final class Walk {
        private final Handle h;
        private final Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        private final Set<Map<String, Object>> edges = new LinkedHashSet<>();
        private final Deque<Runnable> todo = new ArrayDeque<>();

        Walk(Handle h) {
            this.h = h;
        }

        void run() {
            while (!todo.isEmpty() && nodes.size() < MAX_NODES) {
                todo.poll().run();
            }
        }

        /** Adds a node once; {@code expand} runs later, once. */
        private String node(String id, Map<String, Object> attributes, Runnable expand) {
            if (!nodes.containsKey(id)) {
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("id", id);
                node.putAll(attributes);
                nodes.put(id, node);
                if (expand != null) {
                    todo.add(expand);
                }
            }
            return id;
        }

        private void edge(String from, String to, String relation) {
            edges.add(Json.object("from", from, "to", to, "relation", relation));
        }

        String modelVersion(String model, int version) {
            Map<String, Object> row = h.createQuery("SELECT source_run, source_step, status FROM model_versions"
                            + " WHERE model = :m AND version = :v")
                    .bind("m", model)
                    .bind("v", version)
                    .map((rs, ctx) ->
                            Json.object("run", rs.getString(1), "step", rs.getString(2), "status", rs.getString(3)))
                    .one();
            String id = "model:" + model + "/" + version;
            return node(
                    id,
                    Json.object(
                            "kind", "modelVersion", "model", model, "version", version, "status", row.get("status")),
                    () -> {
                        String step = step((String) row.get("run"), (String) row.get("step"));
                        for (var file : files(RegistryFiles.MODEL, model, version)) {
                            String artifact = artifact(file.get("sha256"), file.get("path"));
                            edge(artifact, id, "registeredAs");
                            edge(step, artifact, "produced");
                        }
                    });
        }

        String datasetVersion(String dataset, int version) {
            String id = "dataset:" + dataset + "/" + version;
            return node(id, Json.object("kind", "datasetVersion", "dataset", dataset, "version", version), () -> {
                Optional<Map<String, Object>> source = h.createQuery(
                                "SELECT source_run, source_step FROM dataset_versions"
                                        + " WHERE dataset = :d AND version = :v AND source_run IS NOT NULL")
                        .bind("d", dataset)
                        .bind("v", version)
                        .map((rs, ctx) -> Json.object("run", rs.getString(1), "step", rs.getString(2)))
                        .findOne();
                source.ifPresent(s -> edge(step((String) s.get("run"), (String) s.get("step")), id, "produced"));
            });
        }

        String artifact(Object sha256, Object path) {
            return node("artifact:" + sha256, Json.object("kind", "artifact", "sha256", sha256, "path", path), null);
        }

        String step(String runId, String name) {
            Optional<StepRow> row = h.attach(StepDao.class).find(runId, name);
            String id = "step:" + runId + "/" + name;
            return node(
                    id,
                    Json.object(
                            "kind",
                            "step",
                            "run",
                            runId,
                            "step",
                            name,
                            "status",
                            row.map(StepRow::status).orElse(null)),
                    () -> {
                        edge(run(runId), id, "contains");
                        row.ifPresent(this::expandStep);
                    });
        }

        private void expandStep(StepRow s) {
            String id = "step:" + s.runId() + "/" + s.name();
            if (s.status().equals(StepStatus.CACHED.name()) && s.cachedFrom() != null) {
                edge(step(s.cachedFrom(), s.name()), id, "cachedFrom");
            }
            if (s.status().equals(StepStatus.REUSED.name())) {
                h.attach(RunDao.class)
                        .find(s.runId())
                        .map(RunRow::resumedFrom)
                        .ifPresent(original -> edge(step(original, s.name()), id, "reusedFrom"));
            }
            h.createQuery("SELECT input_name, producer, path, sha256, source FROM step_inputs WHERE run_id = :run"
                            + " AND step = :step ORDER BY input_name, path")
                    .bind("run", s.runId())
                    .bind("step", s.name())
                    .map((rs, ctx) -> Json.object(
                            "input",
                            rs.getString(1),
                            "producer",
                            rs.getString(2),
                            "path",
                            rs.getString(3),
                            "sha256",
                            rs.getString(4),
                            "source",
                            rs.getString(5)))
                    .list()
                    .forEach(input -> {
                        String artifact = artifact(input.get("sha256"), input.get("path"));
                        edge(artifact, id, "input:" + input.get("input"));
                        String source = (String) input.get("source");
                        if (source.startsWith("step:")) {
                            edge(step(s.runId(), source.substring("step:".length())), artifact, "produced");
                        } else if (source.startsWith("dataset:") || source.startsWith("model:")) {
                            int slash = source.lastIndexOf('/');
                            String name = source.substring(source.indexOf(':') + 1, slash);
                            int version = Integer.parseInt(source.substring(slash + 1));
                            edge(
                                    source.startsWith("dataset:")
                                            ? datasetVersion(name, version)
                                            : modelVersion(name, version),
                                    artifact,
                                    "contains");
                        } else {
                            firstProducer((String) input.get("sha256")).ifPresent(p -> edge(p, artifact, "produced"));
                        }
                    });
        }

        private Optional<String> firstProducer(String sha256) {
            return h.createQuery("SELECT run_id, step FROM artifacts WHERE sha256 = :sha ORDER BY created_at LIMIT 1")
                    .bind("sha", sha256)
                    .map((rs, ctx) -> step(rs.getString(1), rs.getString(2)))
                    .findOne();
        }

        String run(String runId) {
            Optional<RunRow> row = h.attach(RunDao.class).find(runId);
            String id = "run:" + runId;
            if (row.isEmpty()) {
                return node(id, Json.object("kind", "run", "run", runId), null);
            }
            RunRow r = row.get();
            Map<String, Object> attributes = Json.object(
                    "kind",
                    "run",
                    "run",
                    runId,
                    "project",
                    r.project(),
                    "pipeline",
                    r.pipeline(),
                    "pipelineVersion",
                    r.pipelineVersion(),
                    "status",
                    r.status(),
                    "specSha256",
                    r.specSha256(),
                    "parameters",
                    Json.read(r.parameters(), Map.class),
                    "createdBy",
                    r.createdBy(),
                    "createdAt",
                    Instant.ofEpochMilli(r.createdAt()),
                    "resumedFrom",
                    r.resumedFrom(),
                    "reproducedFrom",
                    r.reproducedFrom());
            return node(id, attributes, () -> {
                if (r.bundle() != null) {
                    edge(
                            node("bundle:" + r.bundle(), Json.object("kind", "bundle", "sha256", r.bundle()), null),
                            id,
                            "code");
                }
            });
        }

        private List<Map<String, Object>> files(String kind, String name, int version) {
            return RegistryFiles.of(h, kind, name, version).stream()
                    .map(f -> Json.object("path", f.path(), "sha256", f.sha256()))
                    .toList();
        }
    }

    /** Where a staged input lies under its input folder. */
    private static String staged(String producer, String path) {
        return producer.isEmpty() ? path : producer + "/" + path;
    }
}
