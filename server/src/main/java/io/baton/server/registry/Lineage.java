package io.baton.server.registry;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.auth.Caller;
import io.baton.server.blobs.BlobStore;
import io.baton.server.blobs.FolderBlobStore;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.DatasetDao;
import io.baton.server.db.LineageDao;
import io.baton.server.db.LineageDao.StepInput;
import io.baton.server.db.ModelDao;
import io.baton.server.db.ModelVersionRow;
import io.baton.server.db.RegistryFileDao;
import io.baton.server.db.RunDao;
import io.baton.server.db.RunRow;
import io.baton.server.db.StepDao;
import io.baton.server.db.StepRow;
import io.baton.workflows.StepStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Where artifacts come from and go to: one hop each way for an artifact, the whole upstream graph for a model version. */
public final class Lineage {
    /** Stops a walk through a pathological graph; the answer says when it was cut short. */
    static final int MAX_NODES = 2000;

    private static final int MAX_ROWS = 500;

    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final Access access;

    public Lineage(Jdbi jdbi, BlobStore blobs, Access access) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.access = access;
    }

    /**
     * Where an artifact comes from and goes to, as far as the caller may read: through {@code project} when given,
     * else through every project it may read. A 404 when nothing it may read holds the artifact.
     */
    public Map<String, Object> ofArtifact(String sha256, Caller caller, String project) {
        if (!FolderBlobStore.isSha256(sha256)) {
            throw BatonException.badRequest("an artifact is named by its sha256: 64 lower-case hex digits");
        }
        Supplier<BatonException> absent = () -> BatonException.notFound("no artifact with sha256 " + sha256);
        Predicate<String> visible;
        if (project != null) {
            access.require(caller, project, Permission.READ, absent);
            visible = project::equals;
        } else {
            visible = p -> access.can(caller, p, Permission.READ);
        }
        OptionalLong size = blobs.size(sha256);
        if (size.isEmpty()) {
            throw absent.get();
        }
        return jdbi.withHandle(h -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("sha256", sha256);
            answer.put("size", size.getAsLong());
            LineageDao lineage = h.attach(LineageDao.class);
            List<ProducedBy> producedBy = lineage.producedBy(sha256, MAX_ROWS).stream()
                    .filter(p -> visible.test(p.project()))
                    .map(p -> new ProducedBy(
                            p.runId(),
                            p.step(),
                            p.attempt(),
                            p.path(),
                            Instant.ofEpochMilli(p.createdAt()),
                            p.project()))
                    .toList();
            List<UsedBy> usedBy = lineage.usedBy(sha256, MAX_ROWS).stream()
                    .filter(u -> visible.test(u.project()))
                    .map(u ->
                            new UsedBy(u.runId(), u.step(), u.inputName(), staged(u.producer(), u.path()), u.source()))
                    .toList();
            List<Map<String, Object>> datasets = holders(h, RegistryFiles.DATASET, sha256, visible);
            List<Map<String, Object>> models = holders(h, RegistryFiles.MODEL, sha256, visible);
            List<String> bundleOf = lineage.bundleOf(sha256, MAX_ROWS).stream()
                    .filter(r -> visible.test(r.project()))
                    .map(LineageDao.RunInProject::runId)
                    .toList();
            if (!caller.admin()
                    && producedBy.isEmpty()
                    && usedBy.isEmpty()
                    && datasets.isEmpty()
                    && models.isEmpty()
                    && bundleOf.isEmpty()) {
                throw absent.get(); // nothing the caller may read holds it
            }
            answer.put("producedBy", producedBy);
            answer.put("usedBy", usedBy);
            answer.put("datasets", datasets);
            answer.put("models", models);
            answer.put("bundleOf", bundleOf);
            return answer;
        });
    }

    private static List<Map<String, Object>> holders(Handle h, String kind, String sha256, Predicate<String> visible) {
        return h.attach(RegistryFileDao.class).holding(kind, sha256, MAX_ROWS).stream()
                .filter(f -> visible.test(f.project()))
                .map(f ->
                        Json.object("project", f.project(), "name", f.name(), "version", f.version(), "path", f.path()))
                .toList();
    }

    /**
     * The upstream graph of a model version: {@code root}, {@code nodes}, {@code edges}, {@code complete}, and
     * {@code hidden}: how many upstream nodes lie in projects the caller may not read (left out, with their edges).
     * The caller may read {@code project} (the route checked).
     */
    public Map<String, Object> ofModelVersion(String project, String model, int version, Caller caller) {
        return jdbi.withHandle(h -> {
            ModelDao models = h.attach(ModelDao.class);
            Optional<ModelVersionRow> row = models.findVersion(project, model, version);
            if (row.isEmpty()) {
                throw models.find(project, model).isEmpty()
                        ? ModelRegistry.notFound(project, model)
                        : BatonException.notFound("model '" + model + "' has no version " + version);
            }
            Walk walk = new Walk(h, p -> access.can(caller, p, Permission.READ));
            String root = walk.modelVersion(row.get());
            walk.run();
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("root", root);
            answer.put("complete", walk.nodes.size() < MAX_NODES);
            answer.put("hidden", walk.hidden.size());
            answer.put("nodes", new ArrayList<>(walk.nodes.values()));
            answer.put("edges", new ArrayList<>(walk.edges));
            return answer;
        });
    }

    /** A breadth-first walk upstream; each node is expanded once; nodes in projects the caller may not read are left out. */
    private static final class Walk {
        private final Handle h;
        private final Predicate<String> visible;
        private final Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        private final Set<Map<String, Object>> edges = new LinkedHashSet<>();
        private final Set<String> hidden = new HashSet<>();
        private final Map<String, Optional<RunRow>> runs = new HashMap<>();
        private final Deque<Runnable> todo = new ArrayDeque<>();

        Walk(Handle h, Predicate<String> visible) {
            this.h = h;
            this.visible = visible;
        }

        private Optional<RunRow> runRow(String runId) {
            return runs.computeIfAbsent(runId, id -> h.attach(RunDao.class).find(id));
        }

        /** False (and counted) for a node in a project the caller may not read. */
        private boolean shown(String id, String project) {
            if (project == null || visible.test(project)) {
                return true;
            }
            hidden.add(id);
            return false;
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
            if (from == null || to == null) {
                return; // a node left out
            }
            edges.add(Json.object("from", from, "to", to, "relation", relation));
        }

        String modelVersion(String project, String model, int version) {
            if (!shown("model:" + project + "/" + model + "/" + version, project)) {
                return null;
            }
            return h.attach(ModelDao.class)
                    .findVersion(project, model, version)
                    .map(this::modelVersion)
                    .orElse(null);
        }

        String modelVersion(ModelVersionRow row) {
            String project = row.project();
            String model = row.model();
            int version = row.version();
            String id = "model:" + project + "/" + model + "/" + version;
            return node(
                    id,
                    Json.object(
                            "kind",
                            "modelVersion",
                            "project",
                            project,
                            "model",
                            model,
                            "version",
                            version,
                            "status",
                            row.status()),
                    () -> {
                        String step = step(row.sourceRun(), row.sourceStep());
                        for (var file : files(RegistryFiles.MODEL, project, model, version)) {
                            String artifact = artifact(file.get("sha256"), file.get("path"));
                            edge(artifact, id, "registeredAs");
                            edge(step, artifact, "produced");
                        }
                    });
        }

        String datasetVersion(String project, String dataset, int version) {
            String id = "dataset:" + project + "/" + dataset + "/" + version;
            if (!shown(id, project)) {
                return null;
            }
            return node(
                    id,
                    Json.object("kind", "datasetVersion", "project", project, "dataset", dataset, "version", version),
                    () -> {
                        h.attach(DatasetDao.class)
                                .findVersion(project, dataset, version)
                                .filter(v -> v.sourceRun() != null)
                                .ifPresent(v -> edge(step(v.sourceRun(), v.sourceStep()), id, "produced"));
                    });
        }

        String artifact(Object sha256, Object path) {
            return node("artifact:" + sha256, Json.object("kind", "artifact", "sha256", sha256, "path", path), null);
        }

        String step(String runId, String name) {
            String id = "step:" + runId + "/" + name;
            if (!shown(id, runRow(runId).map(RunRow::project).orElse(null))) {
                return null;
            }
            Optional<StepRow> row = h.attach(StepDao.class).find(runId, name);
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
                runRow(s.runId())
                        .map(RunRow::resumedFrom)
                        .ifPresent(original -> edge(step(original, s.name()), id, "reusedFrom"));
            }
            for (StepInput input : h.attach(LineageDao.class).inputsOf(s.runId(), s.name())) {
                String artifact = artifact(input.sha256(), input.path());
                edge(artifact, id, "input:" + input.inputName());
                String source = input.source();
                if (source.startsWith("step:")) {
                    edge(step(s.runId(), source.substring("step:".length())), artifact, "produced");
                } else if (source.startsWith("dataset:") || source.startsWith("model:")) {
                    // dataset:project/name/3 (dataset:name/3 before V11: the run's own project)
                    int slash = source.lastIndexOf('/');
                    String name = source.substring(source.indexOf(':') + 1, slash);
                    int version = Integer.parseInt(source.substring(slash + 1));
                    int inProject = name.indexOf('/');
                    String project = inProject >= 0
                            ? name.substring(0, inProject)
                            : runRow(s.runId()).map(RunRow::project).orElse(null);
                    name = name.substring(inProject + 1);
                    edge(
                            source.startsWith("dataset:")
                                    ? datasetVersion(project, name, version)
                                    : modelVersion(project, name, version),
                            artifact,
                            "contains");
                } else {
                    h.attach(LineageDao.class)
                            .firstProducer(input.sha256())
                            .ifPresent(p -> edge(step(p.runId(), p.step()), artifact, "produced"));
                }
            }
        }

        String run(String runId) {
            Optional<RunRow> row = runRow(runId);
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

        private List<Map<String, Object>> files(String kind, String project, String name, int version) {
            return RegistryFiles.of(h, kind, project, name, version).stream()
                    .map(f -> Json.object("path", f.path(), "sha256", f.sha256()))
                    .toList();
        }
    }

    /** Where a staged input lies under its input folder. */
    private static String staged(String producer, String path) {
        return producer.isEmpty() ? path : producer + "/" + path;
    }

    /** An artifact's producing attempt, as the lineage answer shows it. */
    public record ProducedBy(String run, String step, int attempt, String path, Instant at, String project) {}

    /** A step that took an artifact as an input, as the lineage answer shows it. */
    public record UsedBy(String run, String step, String input, String path, String source) {}
}
