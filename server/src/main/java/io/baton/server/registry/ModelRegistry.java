package io.baton.server.registry;

import static io.baton.pipeline.Abbreviation.API;
import static io.baton.pipeline.Abbreviation.abbreviate;

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
import io.baton.server.db.AliasMoveRow;
import io.baton.server.db.ListCursors;
import io.baton.server.db.ModelAliasDao;
import io.baton.server.db.ModelAliasRow;
import io.baton.server.db.ModelDao;
import io.baton.server.db.ModelRow;
import io.baton.server.db.ModelVersionRow;
import io.baton.server.db.RunRow;
import io.baton.workflows.ArtifactRef;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The model registry: models, their versions with a review status each, and aliases whose every move is kept. */
public final class ModelRegistry {
    public static final Set<String> STATUSES = Set.of("PENDING", "APPROVED", "REJECTED");

    private final Jdbi jdbi;

    public ModelRegistry(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The result of registering files; {@code created} is false when the same files were a version already. */
    public record Registered(ModelVersionView version, boolean created) {}

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
                return ModelViews.view(h, require(h, name, false));
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
        h.attach(ModelDao.class).insert(name, project, description, Json.write(tags), user, System.currentTimeMillis());
    }

    /** Changes a model's description and/or tags (tags are replaced as a whole). */
    public ModelView update(String name, ModelRequest request) {
        if (request == null || (request.description() == null && request.tags() == null)) {
            throw BatonException.badRequest("send 'description' and/or 'tags' to change");
        }
        return jdbi.inTransaction(h -> {
            ModelRow m = require(h, name, true);
            h.attach(ModelDao.class)
                    .update(
                            name,
                            request.description() == null ? m.description() : Names.description(request.description()),
                            request.tags() == null ? m.tags() : Json.write(Names.tags(request.tags())),
                            System.currentTimeMillis());
            return ModelViews.view(h, require(h, name, false));
        });
    }

    public ModelView model(String name) {
        return jdbi.withHandle(h -> ModelViews.view(h, require(h, name, false)));
    }

    /** Models by name; {@code project} null for every project. */
    public Page<ModelView> models(String project, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        String after = ListCursors.afterName(cursor, BatonException::badRequest);
        String inProject = project == null ? null : Projects.check(project);
        return jdbi.withHandle(h -> {
            List<ModelRow> rows = h.attach(ModelDao.class).page(inProject, after, n + 1);
            List<ModelView> items =
                    rows.stream().limit(n).map(r -> ModelViews.view(h, r)).toList();
            return new Page<>(
                    items, rows.size() > n ? ListCursors.encode(items.get(n - 1).name()) : null);
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
        ModelDao dao = h.attach(ModelDao.class);
        String content = RegistryFiles.contentSha256(files);
        Optional<Integer> same = dao.versionWithContent(m.name(), content);
        if (same.isPresent()) {
            return new Registered(ModelViews.versionView(h, m, requireVersion(h, m.name(), same.get())), false);
        }
        int version = dao.nextVersion(m.name());
        long now = System.currentTimeMillis();
        dao.insertVersion(m.name(), version, content, runId, step, description, Json.write(tags), user, now);
        RegistryFiles.insert(h, RegistryFiles.MODEL, m.name(), version, files);
        dao.touch(m.name(), now);
        return new Registered(ModelViews.versionView(h, m, requireVersion(h, m.name(), version)), true);
    }

    public Page<ModelVersionView> versions(String model, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = ListCursors.beforeNumber(cursor, BatonException::badRequest);
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, model, false);
            List<ModelVersionRow> rows = h.attach(ModelDao.class).versionsBefore(model, before, n + 1);
            List<ModelVersionView> items =
                    ModelViews.versionViews(h, m, rows.stream().limit(n).toList());
            return new Page<>(
                    items,
                    rows.size() > n
                            ? ListCursors.encode(String.valueOf(items.get(n - 1).version()))
                            : null);
        });
    }

    public ModelVersionView version(String model, int version) {
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, model, false);
            return ModelViews.versionView(h, m, requireVersion(h, model, version));
        });
    }

    /** The version an alias points at; {@code latest} is the newest version. */
    public ModelVersionView versionByAlias(String model, String alias) {
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, model, false);
            return ModelViews.versionView(h, m, requireVersion(h, model, aliasTarget(h, model, alias)));
        });
    }

    private static int aliasTarget(Handle h, String model, String alias) {
        Optional<Integer> target = alias.equals(Names.LATEST)
                ? h.attach(ModelDao.class).latestVersion(model)
                : h.attach(ModelAliasDao.class).find(model, alias).map(ModelAliasRow::version);
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
                    "'status' must be PENDING, APPROVED or REJECTED, not '" + abbreviate(patch.status(), API) + "'");
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
            ModelVersionRow v = requireVersion(h, model, version);
            long now = System.currentTimeMillis();
            ModelDao dao = h.attach(ModelDao.class);
            dao.updateVersion(
                    model,
                    version,
                    status == null ? v.status() : status,
                    status == null ? v.statusBy() : caller.name(),
                    status == null ? v.statusNote() : patch.note(),
                    status == null ? v.statusAt() : Long.valueOf(now),
                    description == null ? v.description() : description,
                    tags == null ? v.tags() : Json.write(tags));
            dao.touch(model, now);
            return ModelViews.versionView(h, m, requireVersion(h, model, version));
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
                    + "', not of '" + abbreviate(request.model(), API) + "'");
        }
        int version = request.version();
        return jdbi.inTransaction(h -> {
            require(h, model, true);
            if (findVersion(h, model, version).isEmpty()) {
                throw BatonException.badRequest("model '" + model + "' has no version " + version);
            }
            ModelAliasDao aliases = h.attach(ModelAliasDao.class);
            Optional<Integer> current = aliases.find(model, alias).map(ModelAliasRow::version);
            if (current.isPresent() && current.get() == version) {
                return alias(h, model, alias);
            }
            long now = System.currentTimeMillis();
            if (current.isPresent()) {
                aliases.move(model, alias, version, caller.name(), now);
            } else {
                aliases.insert(model, alias, version, caller.name(), now);
            }
            recordMove(h, model, alias, current.orElse(null), version, caller.name(), now);
            return alias(h, model, alias);
        });
    }

    public void deleteAlias(String model, String alias, Caller caller) {
        jdbi.useTransaction(h -> {
            require(h, model, true);
            int from = aliasTarget(h, model, Names.alias(alias));
            h.attach(ModelAliasDao.class).delete(model, alias);
            recordMove(h, model, alias, from, null, caller.name(), System.currentTimeMillis());
        });
    }

    private static void recordMove(
            Handle h, String model, String alias, Integer from, Integer to, String user, long now) {
        ModelAliasDao aliases = h.attach(ModelAliasDao.class);
        aliases.insertMove(model, alias, aliases.nextMove(model, alias), from, to, user, now);
    }

    public List<AliasView> aliases(String model) {
        return jdbi.withHandle(h -> {
            require(h, model, false);
            return h.attach(ModelAliasDao.class).ofModel(model).stream()
                    .map(ModelRegistry::aliasView)
                    .toList();
        });
    }

    public AliasView alias(String model, String alias) {
        return jdbi.withHandle(h -> {
            require(h, model, false);
            return alias(h, model, alias);
        });
    }

    private static AliasView alias(Handle h, String model, String alias) {
        return h.attach(ModelAliasDao.class)
                .find(model, alias)
                .map(ModelRegistry::aliasView)
                .orElseThrow(() -> BatonException.notFound("model '" + model + "' has no alias '" + alias + "'"));
    }

    private static AliasView aliasView(ModelAliasRow a) {
        return new AliasView(a.model(), a.alias(), a.version(), a.movedBy(), Instant.ofEpochMilli(a.movedAt()));
    }

    /** Every move of an alias, newest first. */
    public Page<AliasMoveView> history(String model, String alias, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = ListCursors.beforeNumber(cursor, BatonException::badRequest);
        return jdbi.withHandle(h -> {
            require(h, model, false);
            List<AliasMoveRow> rows = h.attach(ModelAliasDao.class).movesBefore(model, alias, before, n + 1);
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
                            ? ListCursors.encode(String.valueOf(rows.get(n - 1).seq()))
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
        return h.attach(ModelDao.class).find(name);
    }

    private static Optional<ModelRow> lock(Handle h, String name) {
        return h.attach(ModelDao.class).lock(name);
    }

    /** A model named in a path: 404 when absent; locked for the transaction when {@code forUpdate}. */
    private static ModelRow require(Handle h, String name, boolean forUpdate) {
        return (forUpdate ? lock(h, name) : find(h, name))
                .orElseThrow(() -> BatonException.notFound("no model named '" + abbreviate(name, API) + "'"));
    }

    private static Optional<ModelVersionRow> findVersion(Handle h, String model, int version) {
        return h.attach(ModelDao.class).findVersion(model, version);
    }

    private static ModelVersionRow requireVersion(Handle h, String model, int version) {
        return findVersion(h, model, version)
                .orElseThrow(() -> BatonException.notFound("model '" + model + "' has no version " + version));
    }
}
