package io.baton.server.registry;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.api.AliasMoveView;
import io.baton.server.api.AliasRequest;
import io.baton.server.api.AliasView;
import io.baton.server.api.ModelRequest;
import io.baton.server.api.ModelVersionPatch;
import io.baton.server.api.ModelVersionRequest;
import io.baton.server.api.ModelVersionView;
import io.baton.server.api.ModelView;
import io.baton.server.api.Page;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.core.PageLimits;
import io.baton.server.core.Projects;
import io.baton.server.db.RunRow;
import io.baton.workflows.ArtifactRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The model registry: models, their versions (the files of a run's step, never changed once made), a review
 * status per version, and aliases that move atomically with every move kept. Writes to one model are serialized
 * by locking its row, so version numbers and alias moves never race.
 */
public final class ModelRegistry {
    public static final Set<String> STATUSES = Set.of("PENDING", "APPROVED", "REJECTED");

    private final Jdbi jdbi;

    public ModelRegistry(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(ModelRow.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(VersionRow.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(MoveRow.class));
    }

    public record MoveRow(int seq, Integer fromVersion, Integer toVersion, String movedBy, long movedAt) {}

    /** The result of registering files; {@code created} is false when the same files were a version already. */
    public record Registered(ModelVersionView version, boolean created) {}

    public record ModelRow(
            String name,
            String project,
            String description,
            String tags,
            String createdBy,
            long createdAt,
            long updatedAt) {}

    public record VersionRow(
            String model,
            int version,
            String sourceRun,
            String sourceStep,
            String description,
            String tags,
            String status,
            String statusBy,
            String statusNote,
            Long statusAt,
            String createdBy,
            long createdAt) {}

    public ModelView create(ModelRequest request, Caller caller) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'name' and optionally 'project',"
                    + " 'description' and 'tags'");
        }
        String name = Names.name("model", request.name());
        String project = Projects.check(request.project());
        Map<String, String> tags = Names.tags(request.tags());
        String description = Names.description(request.description());
        try {
            return jdbi.inTransaction(h -> {
                if (find(h, name).isPresent()) {
                    throw exists(name);
                }
                insertModel(h, name, project, description, tags, caller.name());
                return view(h, require(h, name, false));
            });
        } catch (UnableToExecuteStatementException e) {
            throw exists(name); // created at the same moment by someone else
        }
    }

    private static BatonException exists(String name) {
        return BatonException.conflict("a model named '" + name + "' exists already");
    }

    private static void insertModel(
            Handle h, String name, String project, String description, Map<String, String> tags, String user) {
        long now = System.currentTimeMillis();
        h.createUpdate("INSERT INTO models (name, project, description, tags, created_by, created_at, updated_at)"
                        + " VALUES (:name, :project, :description, :tags, :user, :now, :now)")
                .bind("name", name)
                .bind("project", project)
                .bind("description", description)
                .bind("tags", Json.write(tags))
                .bind("user", user)
                .bind("now", now)
                .execute();
    }

    /** Changes a model's description and/or tags (tags are replaced as a whole). */
    public ModelView update(String name, ModelRequest request) {
        if (request == null || (request.description() == null && request.tags() == null)) {
            throw BatonException.badRequest("send 'description' and/or 'tags' to change");
        }
        return jdbi.inTransaction(h -> {
            ModelRow m = require(h, name, true);
            h.createUpdate("UPDATE models SET description = :description, tags = :tags, updated_at = :now"
                            + " WHERE name = :name")
                    .bind("name", name)
                    .bind(
                            "description",
                            request.description() == null ? m.description() : Names.description(request.description()))
                    .bind("tags", request.tags() == null ? m.tags() : Json.write(Names.tags(request.tags())))
                    .bind("now", System.currentTimeMillis())
                    .execute();
            return view(h, require(h, name, false));
        });
    }

    public ModelView model(String name) {
        return jdbi.withHandle(h -> view(h, require(h, name, false)));
    }

    /** Models by name; {@code project} null for every project. */
    public Page<ModelView> models(String project, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        String after = Cursors.decode(cursor);
        return jdbi.withHandle(h -> {
            List<ModelRow> rows = h.createQuery("SELECT * FROM models WHERE name > :after"
                            + (project == null ? "" : " AND project = :project") + " ORDER BY name LIMIT :n")
                    .bind("after", after == null ? "" : after)
                    .bind("project", Projects.check(project))
                    .bind("n", n + 1)
                    .mapTo(ModelRow.class)
                    .list();
            List<ModelView> items = rows.stream().limit(n).map(r -> view(h, r)).toList();
            return new Page<>(
                    items, rows.size() > n ? Cursors.encode(items.get(n - 1).name()) : null);
        });
    }

    /** Registers the outputs of a run's step that match {@code path} as a new version (a user's request). */
    public Registered register(String model, ModelVersionRequest request, Caller caller) {
        if (request == null || request.run() == null || request.step() == null) {
            throw BatonException.badRequest("the body must name the 'run' and 'step' whose outputs become the version"
                    + " (and optionally 'path', a file or glob among them)");
        }
        Map<String, String> tags = Names.tags(request.tags());
        String description = Names.description(request.description());
        return jdbi.inTransaction(h -> {
            ModelRow m = require(h, model, true);
            RunOutputs.Source source = RunOutputs.of(h, request.run(), request.step(), request.path(), "model");
            if (!source.run().project().equals(m.project())) {
                throw BatonException.badRequest("run " + source.run().id() + " belongs to project '"
                        + source.run().project() + "', model '" + model + "' to project '" + m.project()
                        + "': a model's versions come from runs of its own project");
            }
            return registerFiles(
                    h, m, source.files(), source.run().id(), request.step(), description, tags, caller.name());
        });
    }

    /**
     * A pipeline step's {@code register:}: its outputs become a version of {@code model}, which is created in the
     * run's project when missing. Runs inside the transaction that records the step's end.
     *
     * @return what happened, in words, for the step's reason
     */
    public String registerFromStep(
            Handle h, RunRow run, String step, List<ArtifactRef> outputs, String model, String description) {
        if (outputs.isEmpty()) {
            return "not registered as a version of model '" + model + "': no output matches";
        }
        Optional<ModelRow> existing = lock(h, model);
        if (existing.isEmpty()) {
            try {
                insertModel(h, model, run.project(), null, Map.of(), run.createdBy());
            } catch (UnableToExecuteStatementException e) {
                // created at the same moment: lock it below
            }
        }
        ModelRow m = lock(h, model).orElseThrow();
        if (!m.project().equals(run.project())) {
            return "not registered: model '" + model + "' belongs to project '" + m.project() + "'";
        }
        Registered registered = registerFiles(h, m, outputs, run.id(), step, description, Map.of(), run.createdBy());
        return registered.created()
                ? "registered as model " + model + " version "
                        + registered.version().version()
                : "the same files are model " + model + " version "
                        + registered.version().version() + " already";
    }

    private Registered registerFiles(
            Handle h,
            ModelRow m,
            List<ArtifactRef> files,
            String runId,
            String step,
            String description,
            Map<String, String> tags,
            String user) {
        String content = RegistryFiles.contentSha256(files);
        Optional<Integer> same = h.createQuery(
                        "SELECT version FROM model_versions WHERE model = :model" + " AND content_sha256 = :content")
                .bind("model", m.name())
                .bind("content", content)
                .mapTo(Integer.class)
                .findOne();
        if (same.isPresent()) {
            return new Registered(versionView(h, m, requireVersion(h, m.name(), same.get())), false);
        }
        int version = h.createQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model = :model")
                .bind("model", m.name())
                .mapTo(Integer.class)
                .one();
        long now = System.currentTimeMillis();
        h.createUpdate("INSERT INTO model_versions (model, version, content_sha256, source_run, source_step,"
                        + " description, tags, status, created_by, created_at) VALUES (:model, :version, :content, :run, :step,"
                        + " :description, :tags, 'PENDING', :user, :now)")
                .bind("model", m.name())
                .bind("version", version)
                .bind("content", content)
                .bind("run", runId)
                .bind("step", step)
                .bind("description", description)
                .bind("tags", Json.write(tags))
                .bind("user", user)
                .bind("now", now)
                .execute();
        RegistryFiles.insert(h, RegistryFiles.MODEL, m.name(), version, files);
        h.createUpdate("UPDATE models SET updated_at = :now WHERE name = :name")
                .bind("now", now)
                .bind("name", m.name())
                .execute();
        return new Registered(versionView(h, m, requireVersion(h, m.name(), version)), true);
    }

    public Page<ModelVersionView> versions(String model, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = Cursors.decodeNumber(cursor);
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, model, false);
            List<VersionRow> rows = h.createQuery(
                            "SELECT * FROM model_versions WHERE model = :model AND version < :before"
                                    + " ORDER BY version DESC LIMIT :n")
                    .bind("model", model)
                    .bind("before", before)
                    .bind("n", n + 1)
                    .mapTo(VersionRow.class)
                    .list();
            List<ModelVersionView> items =
                    versionViews(h, m, rows.stream().limit(n).toList());
            return new Page<>(
                    items,
                    rows.size() > n
                            ? Cursors.encode(String.valueOf(items.get(n - 1).version()))
                            : null);
        });
    }

    public ModelVersionView version(String model, int version) {
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, model, false);
            return versionView(h, m, requireVersion(h, model, version));
        });
    }

    /** The version an alias points at; {@code latest} is the newest version. */
    public ModelVersionView versionByAlias(String model, String alias) {
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, model, false);
            return versionView(h, m, requireVersion(h, model, aliasTarget(h, model, alias)));
        });
    }

    private static int aliasTarget(Handle h, String model, String alias) {
        Optional<Integer> target = alias.equals(Names.LATEST)
                ? h.createQuery("SELECT MAX(version) FROM model_versions WHERE model = :model")
                        .bind("model", model)
                        .mapTo(Integer.class)
                        .findOne()
                : h.createQuery("SELECT version FROM model_aliases WHERE model = :model AND alias = :alias")
                        .bind("model", model)
                        .bind("alias", alias)
                        .mapTo(Integer.class)
                        .findOne();
        return target.orElseThrow(() -> BatonException.notFound(
                alias.equals(Names.LATEST)
                        ? "model '" + model + "' has no versions yet"
                        : "model '" + model + "' has no alias '" + alias + "'"));
    }

    /** Reviews a version (status with a note: who and when are recorded) or changes its description or tags. */
    public ModelVersionView update(String model, int version, ModelVersionPatch patch, Caller caller) {
        if (patch == null
                || (patch.status() == null
                        && patch.note() == null
                        && patch.description() == null
                        && patch.tags() == null)) {
            throw BatonException.badRequest("send 'status' (PENDING, APPROVED or REJECTED) with an optional 'note',"
                    + " and/or 'description' or 'tags'");
        }
        String status = patch.status() == null ? null : patch.status().toUpperCase(Locale.ROOT);
        if (status != null && !STATUSES.contains(status)) {
            throw BatonException.badRequest(
                    "'status' must be PENDING, APPROVED or REJECTED, not '" + Names.abbreviate(patch.status()) + "'");
        }
        if (status == null && patch.note() != null) {
            throw BatonException.badRequest(
                    "a 'note' goes with a 'status': it says why the version was approved or" + " rejected");
        }
        if (patch.note() != null && patch.note().length() > Names.MAX_DESCRIPTION) {
            throw BatonException.badRequest("'note' must be at most " + Names.MAX_DESCRIPTION + " characters");
        }
        Map<String, String> tags = patch.tags() == null ? null : Names.tags(patch.tags());
        String description = Names.description(patch.description());
        return jdbi.inTransaction(h -> {
            ModelRow m = require(h, model, true);
            VersionRow v = requireVersion(h, model, version);
            long now = System.currentTimeMillis();
            h.createUpdate("UPDATE model_versions SET status = :status, status_by = :by, status_note = :note,"
                            + " status_at = :at, description = :description, tags = :tags WHERE model = :model"
                            + " AND version = :version")
                    .bind("model", model)
                    .bind("version", version)
                    .bind("status", status == null ? v.status() : status)
                    .bind("by", status == null ? v.statusBy() : caller.name())
                    .bind("note", status == null ? v.statusNote() : patch.note())
                    .bind("at", status == null ? v.statusAt() : Long.valueOf(now))
                    .bind("description", description == null ? v.description() : description)
                    .bind("tags", tags == null ? v.tags() : Json.write(tags))
                    .execute();
            h.createUpdate("UPDATE models SET updated_at = :now WHERE name = :name")
                    .bind("now", now)
                    .bind("name", model)
                    .execute();
            return versionView(h, m, requireVersion(h, model, version));
        });
    }

    /** Points an alias at a version, atomically; the move is kept. Pointing it where it already is changes nothing. */
    public AliasView setAlias(String model, String alias, AliasRequest request, Caller caller) {
        Names.alias(alias);
        if (request == null || request.version() == null) {
            throw BatonException.badRequest(
                    "the body must be {\"version\": N}: the version of '" + model + "' the alias points at");
        }
        if (request.model() != null && !request.model().equals(model)) {
            throw BatonException.badRequest("an alias of model '" + model + "' can only point at a version of '" + model
                    + "', not of '" + Names.abbreviate(request.model()) + "'");
        }
        int version = request.version();
        return jdbi.inTransaction(h -> {
            require(h, model, true);
            if (findVersion(h, model, version).isEmpty()) {
                throw BatonException.badRequest("model '" + model + "' has no version " + version);
            }
            Optional<Integer> current = h.createQuery(
                            "SELECT version FROM model_aliases WHERE model = :model" + " AND alias = :alias")
                    .bind("model", model)
                    .bind("alias", alias)
                    .mapTo(Integer.class)
                    .findOne();
            if (current.isPresent() && current.get() == version) {
                return alias(h, model, alias);
            }
            long now = System.currentTimeMillis();
            if (current.isPresent()) {
                h.createUpdate("UPDATE model_aliases SET version = :version, moved_by = :by, moved_at = :now"
                                + " WHERE model = :model AND alias = :alias")
                        .bind("model", model)
                        .bind("alias", alias)
                        .bind("version", version)
                        .bind("by", caller.name())
                        .bind("now", now)
                        .execute();
            } else {
                h.createUpdate("INSERT INTO model_aliases (model, alias, version, moved_by, moved_at)"
                                + " VALUES (:model, :alias, :version, :by, :now)")
                        .bind("model", model)
                        .bind("alias", alias)
                        .bind("version", version)
                        .bind("by", caller.name())
                        .bind("now", now)
                        .execute();
            }
            recordMove(h, model, alias, current.orElse(null), version, caller.name(), now);
            return alias(h, model, alias);
        });
    }

    public void deleteAlias(String model, String alias, Caller caller) {
        jdbi.useTransaction(h -> {
            require(h, model, true);
            int from = aliasTarget(h, model, Names.alias(alias));
            h.createUpdate("DELETE FROM model_aliases WHERE model = :model AND alias = :alias")
                    .bind("model", model)
                    .bind("alias", alias)
                    .execute();
            recordMove(h, model, alias, from, null, caller.name(), System.currentTimeMillis());
        });
    }

    private static void recordMove(
            Handle h, String model, String alias, Integer from, Integer to, String user, long now) {
        int seq = h.createQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM model_alias_moves WHERE model = :model"
                        + " AND alias = :alias")
                .bind("model", model)
                .bind("alias", alias)
                .mapTo(Integer.class)
                .one();
        h.createUpdate("INSERT INTO model_alias_moves (model, alias, seq, from_version, to_version, moved_by, moved_at)"
                        + " VALUES (:model, :alias, :seq, :from, :to, :by, :now)")
                .bind("seq", seq)
                .bind("model", model)
                .bind("alias", alias)
                .bind("from", from)
                .bind("to", to)
                .bind("by", user)
                .bind("now", now)
                .execute();
    }

    public List<AliasView> aliases(String model) {
        return jdbi.withHandle(h -> {
            require(h, model, false);
            return h.createQuery("SELECT * FROM model_aliases WHERE model = :model ORDER BY alias")
                    .bind("model", model)
                    .map((rs, ctx) -> new AliasView(
                            model,
                            rs.getString("alias"),
                            rs.getInt("version"),
                            rs.getString("moved_by"),
                            Instant.ofEpochMilli(rs.getLong("moved_at"))))
                    .list();
        });
    }

    public AliasView alias(String model, String alias) {
        return jdbi.withHandle(h -> {
            require(h, model, false);
            return alias(h, model, alias);
        });
    }

    private static AliasView alias(Handle h, String model, String alias) {
        return h.createQuery("SELECT * FROM model_aliases WHERE model = :model AND alias = :alias")
                .bind("model", model)
                .bind("alias", alias)
                .map((rs, ctx) -> new AliasView(
                        model,
                        alias,
                        rs.getInt("version"),
                        rs.getString("moved_by"),
                        Instant.ofEpochMilli(rs.getLong("moved_at"))))
                .findOne()
                .orElseThrow(() -> BatonException.notFound("model '" + model + "' has no alias '" + alias + "'"));
    }

    /** Every move of an alias, newest first. */
    public Page<AliasMoveView> history(String model, String alias, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = Cursors.decodeNumber(cursor);
        return jdbi.withHandle(h -> {
            require(h, model, false);
            List<MoveRow> rows = h.createQuery("SELECT * FROM model_alias_moves WHERE model = :model"
                            + " AND alias = :alias AND seq < :before ORDER BY seq DESC LIMIT :n")
                    .bind("model", model)
                    .bind("alias", alias)
                    .bind("before", before)
                    .bind("n", n + 1)
                    .mapTo(MoveRow.class)
                    .list();
            if (rows.isEmpty() && cursor == null) {
                throw BatonException.notFound("model '" + model + "' has never had an alias '" + alias + "'");
            }
            List<AliasMoveView> items = rows.stream()
                    .limit(n)
                    .map(r -> new AliasMoveView(
                            model,
                            alias,
                            r.fromVersion(),
                            r.toVersion(),
                            r.movedBy(),
                            Instant.ofEpochMilli(r.movedAt())))
                    .toList();
            return new Page<>(
                    items,
                    rows.size() > n
                            ? Cursors.encode(String.valueOf(rows.get(n - 1).seq()))
                            : null);
        });
    }

    /** The files of a version named by {@code model://name/5} or {@code model://name@alias}, for a run's input. */
    public Resolved resolve(String model, Long version, String alias, String project) {
        return jdbi.withHandle(h -> {
            ModelRow m =
                    find(h, model).orElseThrow(() -> BatonException.badRequest("there is no model '" + model + "'"));
            if (!m.project().equals(project)) {
                throw BatonException.badRequest("model '" + model + "' belongs to project '" + m.project()
                        + "', not to the run's project '" + project + "'");
            }
            int v = version != null ? version.intValue() : aliasTarget(h, model, alias);
            if (findVersion(h, model, v).isEmpty()) {
                throw BatonException.badRequest("model '" + model + "' has no version " + v);
            }
            return new Resolved(RegistryFiles.of(h, RegistryFiles.MODEL, model, v), "model:" + model + "/" + v);
        });
    }

    /** The files a registry reference names, and the version it resolved to ({@code model:name/3}). */
    public record Resolved(List<ArtifactRef> files, String source) {}

    private static Optional<ModelRow> find(Handle h, String name) {
        return h.createQuery("SELECT * FROM models WHERE name = :name")
                .bind("name", name)
                .mapTo(ModelRow.class)
                .findOne();
    }

    private static Optional<ModelRow> lock(Handle h, String name) {
        return h.createQuery("SELECT * FROM models WHERE name = :name FOR UPDATE")
                .bind("name", name)
                .mapTo(ModelRow.class)
                .findOne();
    }

    /** A model named in a path: 404 when absent; locked for the transaction when {@code forUpdate}. */
    private static ModelRow require(Handle h, String name, boolean forUpdate) {
        return (forUpdate ? lock(h, name) : find(h, name))
                .orElseThrow(() -> BatonException.notFound("no model named '" + Names.abbreviate(name) + "'"));
    }

    private static Optional<VersionRow> findVersion(Handle h, String model, int version) {
        return h.createQuery("SELECT * FROM model_versions WHERE model = :model AND version = :version")
                .bind("model", model)
                .bind("version", version)
                .mapTo(VersionRow.class)
                .findOne();
    }

    private static VersionRow requireVersion(Handle h, String model, int version) {
        return findVersion(h, model, version)
                .orElseThrow(() -> BatonException.notFound("model '" + model + "' has no version " + version));
    }

    private static ModelView view(Handle h, ModelRow m) {
        Integer latest = h.createQuery("SELECT MAX(version) FROM model_versions WHERE model = :model")
                .bind("model", m.name())
                .mapTo(Integer.class)
                .findOne()
                .orElse(null);
        Map<String, Integer> aliases = new LinkedHashMap<>();
        h.createQuery("SELECT alias, version FROM model_aliases WHERE model = :model ORDER BY alias")
                .bind("model", m.name())
                .map((rs, ctx) -> aliases.put(rs.getString(1), rs.getInt(2)))
                .list();
        return new ModelView(
                m.name(),
                m.project(),
                m.description(),
                tags(m.tags()),
                m.createdBy(),
                Instant.ofEpochMilli(m.createdAt()),
                Instant.ofEpochMilli(m.updatedAt()),
                latest,
                aliases);
    }

    private static ModelVersionView versionView(Handle h, ModelRow m, VersionRow v) {
        return versionViews(h, m, List.of(v)).get(0);
    }

    /**
     * Versions of one model as the API shows them, with their source runs' metrics, aliases and files: three queries
     * for a whole page, not three per version.
     */
    private static List<ModelVersionView> versionViews(Handle h, ModelRow m, List<VersionRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        List<String> runs = rows.stream()
                .map(VersionRow::sourceRun)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        Map<String, Map<String, Double>> metrics = new HashMap<>();
        if (!runs.isEmpty()) {
            h.createQuery("SELECT run_id, name, metric_value FROM run_metrics WHERE run_id IN (<runs>) ORDER BY name")
                    .bindList("runs", runs)
                    .map((rs, ctx) -> metrics.computeIfAbsent(rs.getString(1), r -> new LinkedHashMap<>())
                            .put(rs.getString(2), rs.getDouble(3)))
                    .list();
        }
        List<Integer> versions = rows.stream().map(VersionRow::version).toList();
        Map<Integer, List<String>> aliases = new HashMap<>();
        h.createQuery("SELECT version, alias FROM model_aliases WHERE model = :model AND version IN (<versions>)"
                        + " ORDER BY alias")
                .bind("model", m.name())
                .bindList("versions", versions)
                .map((rs, ctx) -> aliases.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>())
                        .add(rs.getString(2)))
                .list();
        Map<Integer, List<ArtifactRef>> files = RegistryFiles.ofVersions(h, RegistryFiles.MODEL, m.name(), versions);
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
                        Instant.ofEpochMilli(v.createdAt())))
                .toList();
    }

    private static Map<String, String> tags(String json) {
        return Json.read(json, new TypeReference<LinkedHashMap<String, String>>() {});
    }
}
