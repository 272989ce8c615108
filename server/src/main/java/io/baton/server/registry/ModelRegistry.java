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
import io.baton.server.core.ErrorCodes;
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
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
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
    /** A model's protected aliases unless a project admin says otherwise. */
    public static final List<String> DEFAULT_PROTECTED = List.of("production");

    private static final String REJECTED = "REJECTED";

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
        List<String> protectedAliases = request.protectedAliases() == null
                ? DEFAULT_PROTECTED
                : Names.protectedAliases(request.protectedAliases());
        try {
            return jdbi.inTransaction(h -> {
                if (find(h, project, name).isPresent()) {
                    throw exists(project, name);
                }
                insertModel(h, project, name, description, tags, protectedAliases, caller.name(), caller.userId());
                return ModelViews.view(h, require(h, project, name, false));
            });
        } catch (UnableToExecuteStatementException e) {
            throw exists(project, name); // created at the same moment by someone else
        }
    }

    private static BatonException exists(String project, String name) {
        return BatonException.conflict("a model named '" + name + "' exists already in project '" + project + "'");
    }

    /** The 404 of a model that is not there, or that the caller may not know of. */
    public static BatonException notFound(String project, String name) {
        return BatonException.notFound(
                "no model named '" + abbreviate(name, API) + "' in project '" + abbreviate(project, API) + "'");
    }

    private static void insertModel(
            Handle h,
            String project,
            String name,
            String description,
            Map<String, String> tags,
            List<String> protectedAliases,
            String user,
            String userId) {
        h.attach(ModelDao.class)
                .insert(
                        project,
                        name,
                        description,
                        Json.write(tags),
                        Json.write(protectedAliases),
                        user,
                        userId,
                        System.currentTimeMillis());
    }

    /** Changes a model's description, tags and/or protected aliases (each replaced as a whole). */
    public ModelView update(String project, String name, ModelRequest request) {
        if (request == null
                || (request.description() == null && request.tags() == null && request.protectedAliases() == null)) {
            throw BatonException.badRequest("send 'description', 'tags' and/or 'protectedAliases' to change");
        }
        return jdbi.inTransaction(h -> {
            ModelRow m = require(h, project, name, true);
            h.attach(ModelDao.class)
                    .update(
                            project,
                            name,
                            request.description() == null ? m.description() : Names.description(request.description()),
                            request.tags() == null ? m.tags() : Json.write(Names.tags(request.tags())),
                            request.protectedAliases() == null
                                    ? m.protectedAliases()
                                    : Json.write(Names.protectedAliases(request.protectedAliases())),
                            System.currentTimeMillis());
            return ModelViews.view(h, require(h, project, name, false));
        });
    }

    public ModelView model(String project, String name) {
        return jdbi.withHandle(h -> ModelViews.view(h, require(h, project, name, false)));
    }

    /** Models by project and name, in {@code projects} (null for every project). */
    public Page<ModelView> models(List<String> projects, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        RegistryPages.After after = RegistryPages.after(cursor);
        if (projects != null && projects.isEmpty()) {
            return new Page<>(List.of(), null);
        }
        return jdbi.withHandle(h -> {
            ModelDao dao = h.attach(ModelDao.class);
            List<ModelRow> rows = projects == null
                    ? dao.page(after.project(), after.name(), n + 1)
                    : dao.pageIn(projects, after.project(), after.name(), n + 1);
            List<ModelView> items =
                    rows.stream().limit(n).map(r -> ModelViews.view(h, r)).toList();
            return new Page<>(
                    items,
                    rows.size() > n
                            ? RegistryPages.cursor(
                                    items.get(n - 1).project(), items.get(n - 1).name())
                            : null);
        });
    }

    /** Registers the outputs of a run's step that match {@code path} as a new version (a user's request). */
    public Registered register(String project, String model, ModelVersionRequest request, Caller caller) {
        if (request == null || request.run() == null || request.step() == null) {
            throw BatonException.badRequest("the body must name the 'run' and 'step' whose outputs become the version"
                    + " (and optionally 'path', a file or glob among them)");
        }
        Map<String, String> tags = Names.tags(request.tags());
        String description = Names.description(request.description());
        return jdbi.inTransaction(h -> {
            ModelRow m = require(h, project, model, true);
            RunOutputs.Source source = RunOutputs.of(h, request.run(), request.step(), request.path(), "model");
            if (!source.run().project().equals(m.project())) {
                throw BatonException.badRequest("run " + source.run().id() + " belongs to project '"
                        + source.run().project() + "', model '" + model + "' to project '" + m.project()
                        + "': a model's versions come from runs of its own project");
            }
            return registerFiles(
                    h,
                    m,
                    source.files(),
                    source.run().id(),
                    request.step(),
                    description,
                    tags,
                    caller.name(),
                    caller.userId());
        });
    }

    /**
     * A pipeline step's {@code register:}: its outputs become a version of {@code model} of the run's project, which
     * is created when missing. Runs inside the transaction that records the step's end.
     *
     * @return what happened, in words, for the step's reason
     */
    public String registerFromStep(
            Handle h, RunRow run, String step, List<ArtifactRef> outputs, String model, String description) {
        if (outputs.isEmpty()) {
            return "not registered as a version of model '" + model + "': no output matches";
        }
        String project = run.project();
        Optional<ModelRow> existing = lock(h, project, model);
        if (existing.isEmpty()) {
            try {
                insertModel(h, project, model, null, Map.of(), DEFAULT_PROTECTED, run.createdBy(), null);
            } catch (UnableToExecuteStatementException e) {
                // created at the same moment: lock it below
            }
        }
        ModelRow m = lock(h, project, model).orElseThrow();
        // read only now: a plain read before the lock would fix MariaDB's snapshot before the last version was added
        String userId = h.attach(UserDao.class)
                .findByName(run.createdBy())
                .map(UserRow::id)
                .orElse(null);
        if (existing.isEmpty() && m.createdById() == null && userId != null) {
            h.attach(ModelDao.class).setCreatedById(project, model, run.createdBy(), userId);
        }
        Registered registered =
                registerFiles(h, m, outputs, run.id(), step, description, Map.of(), run.createdBy(), userId);
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
            String user,
            String userId) {
        ModelDao dao = h.attach(ModelDao.class);
        String project = m.project();
        String content = RegistryFiles.contentSha256(files);
        Optional<Integer> same = dao.versionWithContent(project, m.name(), content);
        if (same.isPresent()) {
            return new Registered(
                    ModelViews.versionView(h, m, requireVersion(h, project, m.name(), same.get())), false);
        }
        int version = dao.nextVersion(project, m.name());
        long now = System.currentTimeMillis();
        dao.insertVersion(
                project, m.name(), version, content, runId, step, description, Json.write(tags), user, userId, now);
        RegistryFiles.insert(h, RegistryFiles.MODEL, project, m.name(), version, files);
        dao.touch(project, m.name(), now);
        return new Registered(ModelViews.versionView(h, m, requireVersion(h, project, m.name(), version)), true);
    }

    public Page<ModelVersionView> versions(String project, String model, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = ListCursors.beforeNumber(cursor, BatonException::badRequest);
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, project, model, false);
            List<ModelVersionRow> rows = h.attach(ModelDao.class).versionsBefore(project, model, before, n + 1);
            List<ModelVersionView> items =
                    ModelViews.versionViews(h, m, rows.stream().limit(n).toList());
            return new Page<>(
                    items,
                    rows.size() > n
                            ? ListCursors.encode(String.valueOf(items.get(n - 1).version()))
                            : null);
        });
    }

    public ModelVersionView version(String project, String model, int version) {
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, project, model, false);
            return ModelViews.versionView(h, m, requireVersion(h, project, model, version));
        });
    }

    /** The version an alias points at; {@code latest} is the newest version. */
    public ModelVersionView versionByAlias(String project, String model, String alias) {
        return jdbi.withHandle(h -> {
            ModelRow m = require(h, project, model, false);
            return ModelViews.versionView(
                    h, m, requireVersion(h, project, model, aliasTarget(h, project, model, alias)));
        });
    }

    private static int aliasTarget(Handle h, String project, String model, String alias) {
        Optional<Integer> target = alias.equals(Names.LATEST)
                ? h.attach(ModelDao.class).latestVersion(project, model)
                : h.attach(ModelAliasDao.class).find(project, model, alias).map(ModelAliasRow::version);
        return target.orElseThrow(() -> BatonException.notFound(
                alias.equals(Names.LATEST)
                        ? "model '" + model + "' has no versions yet"
                        : "model '" + model + "' has no alias '" + alias + "'"));
    }

    /** Reviews a version (status with a note: who and when are recorded) or changes its description or tags. */
    public ModelVersionView update(String project, String model, int version, ModelVersionPatch patch, Caller caller) {
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
            ModelRow m = require(h, project, model, true);
            ModelVersionRow v = requireVersion(h, project, model, version);
            if (REJECTED.equals(status)) {
                List<String> pointing =
                        h.attach(ModelAliasDao.class).ofVersions(project, model, List.of(version)).stream()
                                .map(ModelAliasRow::alias)
                                .toList();
                if (!pointing.isEmpty()) {
                    throw BatonException.conflict("version " + version + " of model '" + model + "' cannot be"
                            + " REJECTED while aliases point at it: " + pointing + "; move or delete them first");
                }
            }
            long now = System.currentTimeMillis();
            ModelDao dao = h.attach(ModelDao.class);
            dao.updateVersion(
                    project,
                    model,
                    version,
                    status == null ? v.status() : status,
                    status == null ? v.statusBy() : caller.name(),
                    status == null ? v.statusById() : caller.userId(),
                    status == null ? v.statusNote() : patch.note(),
                    status == null ? v.statusAt() : Long.valueOf(now),
                    description == null ? v.description() : description,
                    tags == null ? v.tags() : Json.write(tags));
            dao.touch(project, model, now);
            return ModelViews.versionView(h, m, requireVersion(h, project, model, version));
        });
    }

    /**
     * Points an alias at a version, atomically; the move is kept. Pointing it where it already is changes nothing. A
     * protected alias moves only when {@code mayPromote}; no alias points at a REJECTED version.
     */
    public AliasView setAlias(
            String project, String model, String alias, AliasRequest request, Caller caller, boolean mayPromote) {
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
        boolean[] moved = {false};
        AliasView view = jdbi.inTransaction(h -> {
            ModelRow m = require(h, project, model, true);
            checkPromote(m, alias, mayPromote);
            ModelVersionRow target = findVersion(h, project, model, version)
                    .orElseThrow(() -> BatonException.badRequest("model '" + model + "' has no version " + version));
            if (REJECTED.equals(target.status())) {
                throw BatonException.conflict("version " + version + " of model '" + model + "' is REJECTED; an alias"
                        + " cannot point at a rejected version");
            }
            ModelAliasDao aliases = h.attach(ModelAliasDao.class);
            Optional<Integer> current = aliases.find(project, model, alias).map(ModelAliasRow::version);
            if (current.isPresent() && current.get() == version) {
                return alias(h, project, model, alias);
            }
            long now = System.currentTimeMillis();
            if (current.isPresent()) {
                aliases.move(project, model, alias, version, caller.name(), caller.userId(), now);
            } else {
                aliases.insert(project, model, alias, version, caller.name(), caller.userId(), now);
            }
            recordMove(h, project, model, alias, current.orElse(null), version, caller, now);
            moved[0] = true;
            return alias(h, project, model, alias);
        });
        if (moved[0]) {
            aliasMoved.moved(project, model, alias, version, caller.name());
        }
        return view;
    }

    /** Told of every alias move once it is committed (endpoints that follow the alias roll out). */
    public interface AliasListener {
        void moved(String project, String model, String alias, int version, String by);
    }

    private volatile AliasListener aliasMoved = (project, model, alias, version, by) -> {};

    public void onAliasMoved(AliasListener listener) {
        this.aliasMoved = listener;
    }

    public void deleteAlias(String project, String model, String alias, Caller caller, boolean mayPromote) {
        jdbi.useTransaction(h -> {
            ModelRow m = require(h, project, model, true);
            checkPromote(m, Names.alias(alias), mayPromote);
            int from = aliasTarget(h, project, model, alias);
            h.attach(ModelAliasDao.class).delete(project, model, alias);
            recordMove(h, project, model, alias, from, null, caller, System.currentTimeMillis());
        });
    }

    /** A 403 when {@code alias} is one of the model's protected aliases and the caller may not promote. */
    private static void checkPromote(ModelRow m, String alias, boolean mayPromote) {
        if (!mayPromote && ModelViews.protectedAliases(m).contains(alias)) {
            throw new BatonException(
                    403,
                    ErrorCodes.FORBIDDEN,
                    "alias '" + alias + "' of model '" + m.name() + "' is protected; moving it needs the 'promote'"
                            + " permission (or the admin role) in project '" + m.project() + "'");
        }
    }

    private static void recordMove(
            Handle h, String project, String model, String alias, Integer from, Integer to, Caller caller, long now) {
        ModelAliasDao aliases = h.attach(ModelAliasDao.class);
        aliases.insertMove(
                project,
                model,
                alias,
                aliases.nextMove(project, model, alias),
                from,
                to,
                caller.name(),
                caller.userId(),
                now);
    }

    public List<AliasView> aliases(String project, String model) {
        return jdbi.withHandle(h -> {
            require(h, project, model, false);
            return h.attach(ModelAliasDao.class).ofModel(project, model).stream()
                    .map(ModelRegistry::aliasView)
                    .toList();
        });
    }

    public AliasView alias(String project, String model, String alias) {
        return jdbi.withHandle(h -> {
            require(h, project, model, false);
            return alias(h, project, model, alias);
        });
    }

    private static AliasView alias(Handle h, String project, String model, String alias) {
        return h.attach(ModelAliasDao.class)
                .find(project, model, alias)
                .map(ModelRegistry::aliasView)
                .orElseThrow(() -> BatonException.notFound("model '" + model + "' has no alias '" + alias + "'"));
    }

    private static AliasView aliasView(ModelAliasRow a) {
        return new AliasView(
                a.model(), a.alias(), a.version(), a.movedBy(), Instant.ofEpochMilli(a.movedAt()), a.movedById());
    }

    /** Every move of an alias, newest first. */
    public Page<AliasMoveView> history(String project, String model, String alias, String cursor, Integer limit) {
        int n = PageLimits.size(limit);
        int before = ListCursors.beforeNumber(cursor, BatonException::badRequest);
        return jdbi.withHandle(h -> {
            require(h, project, model, false);
            List<AliasMoveRow> rows = h.attach(ModelAliasDao.class).movesBefore(project, model, alias, before, n + 1);
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
                            Instant.ofEpochMilli(r.movedAt()),
                            r.movedById()))
                    .toList();
            return new Page<>(
                    items,
                    rows.size() > n
                            ? ListCursors.encode(String.valueOf(rows.get(n - 1).seq()))
                            : null);
        });
    }

    /**
     * The files of a version named by {@code model://[project/]name/5} or {@code ...@alias} in {@code project}, for a
     * run's input; a 400 when there is no such version.
     */
    public Resolved resolve(String project, String model, Long version, String alias) {
        String shown = project + "/" + model;
        return jdbi.withHandle(h -> {
            find(h, project, model).orElseThrow(() -> BatonException.badRequest("there is no model '" + shown + "'"));
            int v;
            try {
                v = version != null ? version.intValue() : aliasTarget(h, project, model, alias);
            } catch (BatonException e) {
                throw BatonException.badRequest(e.getMessage());
            }
            if (findVersion(h, project, model, v).isEmpty()) {
                throw BatonException.badRequest("model '" + shown + "' has no version " + v);
            }
            return new Resolved(
                    RegistryFiles.of(h, RegistryFiles.MODEL, project, model, v), "model:" + shown + "/" + v);
        });
    }

    /** The files a registry reference names, and the version it resolved to ({@code model:project/name/3}). */
    public record Resolved(List<ArtifactRef> files, String source) {}

    private static Optional<ModelRow> find(Handle h, String project, String name) {
        return h.attach(ModelDao.class).find(project, name);
    }

    private static Optional<ModelRow> lock(Handle h, String project, String name) {
        return h.attach(ModelDao.class).lock(project, name);
    }

    /** A model named in a path: 404 when absent; locked for the transaction when {@code forUpdate}. */
    private static ModelRow require(Handle h, String project, String name, boolean forUpdate) {
        return (forUpdate ? lock(h, project, name) : find(h, project, name)).orElseThrow(() -> notFound(project, name));
    }

    private static Optional<ModelVersionRow> findVersion(Handle h, String project, String model, int version) {
        return h.attach(ModelDao.class).findVersion(project, model, version);
    }

    private static ModelVersionRow requireVersion(Handle h, String project, String model, int version) {
        return findVersion(h, project, model, version)
                .orElseThrow(() -> BatonException.notFound("model '" + model + "' has no version " + version));
    }
}
