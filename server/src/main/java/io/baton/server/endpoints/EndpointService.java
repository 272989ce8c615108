package io.baton.server.endpoints;

import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.EndpointRequest;
import io.baton.server.api.EndpointView;
import io.baton.server.auth.Caller;
import io.baton.server.core.AuditNote;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.core.Ids;
import io.baton.server.core.Json;
import io.baton.server.core.Projects;
import io.baton.server.db.EndpointDao;
import io.baton.server.db.EndpointHistoryRow;
import io.baton.server.db.EndpointRevisionRow;
import io.baton.server.db.EndpointRow;
import io.baton.server.db.ReplicaRow;
import io.baton.server.temporal.TemporalService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoints as the API sees them: each request is checked whole, recorded (a new revision when what is served
 * changes) and handed to the endpoint's workflow, which does the rest (docs/endpoints.md).
 */
public final class EndpointService {
    private static final Logger log = LoggerFactory.getLogger(EndpointService.class);

    private final Jdbi jdbi;
    private final Access access;
    private final TemporalService temporal;
    private final EndpointSpecs specs;

    public EndpointService(Jdbi jdbi, Access access, TemporalService temporal, EndpointSpecs specs) {
        this.jdbi = jdbi;
        this.access = access;
        this.temporal = temporal;
        this.specs = specs;
    }

    public static BatonException notFound(String project, String name) {
        return BatonException.notFound("no endpoint '" + name + "' in project '" + project + "'");
    }

    public EndpointView create(EndpointRequest request, Caller caller) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'name', 'model', 'bundle' and"
                    + " 'command' (see docs/endpoints.md)");
        }
        String project = Projects.check(request.project());
        access.require(caller, project, Permission.WRITE, () -> Access.noProject(project));
        String name = EndpointSpecs.name(request.name());
        AuditNote.project(project);
        AuditNote.object("endpoint", name);
        if (request.canary() != null) {
            throw BatonException.badRequest("a new endpoint has no canary: create it, then PUT a 'canary'");
        }
        EndpointSpecs.Model model = specs.model(request.model(), project, caller);
        RevisionSpec spec = specs.revision(null, model, request, project, caller);
        String pool = specs.pool(request.pool(), project);
        int replicas = EndpointSpecs.replicas(request.replicas(), 1);
        long now = System.currentTimeMillis();
        String id = Ids.newId();
        EndpointRow row = new EndpointRow(
                id,
                project,
                name,
                request.model(),
                model.project(),
                model.name(),
                model.alias(),
                pool,
                replicas,
                1,
                null,
                null,
                false,
                "STARTING",
                null,
                null,
                null,
                null,
                caller.name(),
                caller.userId(),
                now,
                now);
        try {
            jdbi.useTransaction(h -> {
                EndpointDao dao = h.attach(EndpointDao.class);
                if (dao.find(project, name).isPresent()) {
                    throw duplicate(project, name);
                }
                dao.insert(row);
                dao.insertRevision(
                        new EndpointRevisionRow(id, 1, spec.version(), Json.write(spec), caller.name(), now));
            });
        } catch (UnableToExecuteStatementException e) {
            if (jdbi.onDemand(EndpointDao.class).find(project, name).isPresent()) {
                throw duplicate(project, name); // created at the same moment by another request
            }
            throw e;
        }
        try {
            temporal.startEndpoint(id);
        } catch (RuntimeException e) {
            removeRecord(id); // nothing half-made: without its workflow the endpoint would never serve
            throw new BatonException(
                    503, ErrorCodes.UNAVAILABLE, "cannot start the endpoint's workflow now (" + e.getMessage() + ")");
        }
        return view(project, name);
    }

    private static BatonException duplicate(String project, String name) {
        return BatonException.conflict("endpoint '" + name + "' exists in project '" + project + "'; change it with PUT"
                + " /api/v1/endpoints/" + name + "?project=" + project);
    }

    /** A new model version, command, bundle, environment, health path or resources (a rollout), replicas, a canary. */
    public EndpointView update(String project, String name, EndpointRequest request, Caller caller) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with the fields to change");
        }
        if (request.name() != null && !request.name().equals(name)) {
            throw BatonException.badRequest("an endpoint cannot be renamed; delete it and create another");
        }
        if (request.project() != null && !request.project().equals(project)) {
            throw BatonException.badRequest("an endpoint cannot move to another project");
        }
        EndpointRow current = require(project, name, caller, Permission.WRITE);
        boolean changesServing = request.model() != null
                || request.bundle() != null
                || request.command() != null
                || request.env() != null
                || request.health() != null
                || request.healthTimeout() != null
                || request.cpus() != null
                || request.memory() != null
                || request.gpus() != null;
        RevisionSpec target = revisionSpec(current.id(), current.revision());
        EndpointSpecs.Model model = request.model() == null
                ? new EndpointSpecs.Model(current.modelProject(), current.modelName(), current.alias(), 0, List.of())
                : specs.model(request.model(), project, caller);
        if (request.model() != null && !model.sameModel(current.modelProject(), current.modelName())) {
            throw BatonException.badRequest("an endpoint serves one model ('" + current.modelProject() + "/"
                    + current.modelName() + "'); create another endpoint for '" + request.model() + "'");
        }
        RevisionSpec wanted = changesServing ? specs.revision(target, model, request, project, caller) : target;
        String pool = request.pool() == null ? current.pool() : specs.pool(request.pool(), project);
        int replicas = EndpointSpecs.replicas(request.replicas(), current.replicas());
        RevisionSpec canary = null;
        int percent = 0;
        if (request.canary() != null) {
            if (changesServing) {
                throw BatonException.badRequest("send a 'canary' alone (with 'replicas' or 'pool' at most): a canary"
                        + " tries another version of what is served now");
            }
            percent = EndpointSpecs.percent(request.canary().percent());
            if (request.canary().version() == null) {
                throw BatonException.badRequest("'canary' needs 'version': the model version to try");
            }
            EndpointSpecs.Model version = specs.version(
                    current.modelProject(),
                    current.modelName(),
                    request.canary().version());
            canary = target.withVersion(version.version(), version.files());
        }
        String alias = request.model() == null ? current.alias() : model.alias();
        String reference = request.model() == null ? current.model() : request.model();
        ask(current, wanted, canary, percent, pool, replicas, alias, reference, caller);
        return view(project, name);
    }

    /** The canary's version takes all the traffic: its revision is rolled out to every replica. */
    public EndpointView promote(String project, String name, Caller caller) {
        EndpointRow current = require(project, name, caller, Permission.WRITE);
        if (current.targetCanaryRevision() == null) {
            throw BatonException.conflict("endpoint '" + name + "' has no canary to promote");
        }
        update(current, current.targetCanaryRevision(), null, null);
        return view(project, name);
    }

    /** A canary is stopped; without one, the version served before the current one is served again. */
    public EndpointView rollback(String project, String name, Caller caller) {
        EndpointRow current = require(project, name, caller, Permission.WRITE);
        if (current.targetCanaryRevision() != null) {
            update(current, current.revision(), null, null);
            return view(project, name);
        }
        List<EndpointHistoryRow> history = jdbi.onDemand(EndpointDao.class).history(current.id());
        Integer serving = current.stableRevision();
        EndpointHistoryRow before = null;
        for (EndpointHistoryRow h : history) {
            if (serving == null || h.revision() != serving) {
                before = h;
            }
        }
        if (serving == null || before == null) {
            throw BatonException.conflict("endpoint '" + name + "' has served no other version to roll back to");
        }
        RevisionSpec previous = revisionSpec(current.id(), before.revision());
        ask(current, previous, null, 0, current.pool(), current.replicas(), current.alias(), current.model(), caller);
        return view(project, name);
    }

    public void delete(String project, String name, Caller caller) {
        EndpointRow current = require(project, name, caller, Permission.WRITE);
        jdbi.onDemand(EndpointDao.class).markDeleting(current.id(), System.currentTimeMillis());
        if (!signal(current.id())) {
            removeRecord(current.id()); // no workflow to stop anything: nothing runs
        }
    }

    public EndpointView get(String project, String name, Caller caller) {
        require(project, name, caller, Permission.READ);
        return view(project, name);
    }

    public List<EndpointView> list(String project, Caller caller) {
        List<EndpointRow> rows;
        EndpointDao dao = jdbi.onDemand(EndpointDao.class);
        if (project != null) {
            String p = Projects.check(project);
            access.require(caller, p, Permission.READ, () -> Access.noProject(p));
            rows = dao.ofProjects(List.of(p));
        } else {
            Optional<List<String>> readable = access.readable(caller);
            rows = readable.isEmpty()
                    ? dao.all()
                    : readable.get().isEmpty() ? List.of() : dao.ofProjects(readable.get());
        }
        return rows.stream().map(r -> view(r.project(), r.name())).toList();
    }

    /**
     * An alias moved: every endpoint that follows it rolls out the version it points at now (called after the move
     * is committed, and by the reconciler for a move whose call was lost).
     */
    public void aliasMoved(String project, String model, String alias, int version, String by) {
        for (EndpointRow endpoint : jdbi.onDemand(EndpointDao.class).following(project, model, alias)) {
            follow(endpoint, version, by);
        }
    }

    /** Rolls {@code endpoint} out to {@code version} of its model, unless it asks for that version already. */
    private void follow(EndpointRow endpoint, int version, String by) {
        String model = endpoint.modelName();
        String alias = endpoint.alias();
        try {
            RevisionSpec target = revisionSpec(endpoint.id(), endpoint.revision());
            if (target.version() == version) {
                return;
            }
            EndpointSpecs.Model moved = specs.version(endpoint.modelProject(), model, version);
            log.info(
                    "endpoint {}/{} follows {}@{}: rolling out version {}",
                    endpoint.project(),
                    endpoint.name(),
                    model,
                    alias,
                    version);
            ask(
                    endpoint,
                    target.withVersion(version, moved.files()),
                    null,
                    0,
                    endpoint.pool(),
                    endpoint.replicas(),
                    endpoint.alias(),
                    endpoint.model(),
                    by);
        } catch (RuntimeException e) {
            log.warn(
                    "endpoint {}/{} cannot follow {}@{} to version {}: {}",
                    endpoint.project(),
                    endpoint.name(),
                    model,
                    alias,
                    version,
                    e.getMessage());
        }
    }

    /**
     * The reconciler's catch-up: the alias an endpoint follows moved after its last revision was asked for (a move
     * whose hook never ran, the server having died). A revision asked for after the move (a rollback) stands.
     */
    void aliasMissed(EndpointRow endpoint, int version, long movedAt, String by) {
        EndpointRevisionRow target = jdbi.onDemand(EndpointDao.class)
                .revision(endpoint.id(), endpoint.revision())
                .orElse(null);
        if (target != null && target.version() != version && target.createdAt() < movedAt) {
            follow(endpoint, version, by);
        }
    }

    private void ask(
            EndpointRow current,
            RevisionSpec wanted,
            RevisionSpec canary,
            int percent,
            String pool,
            int replicas,
            String alias,
            String reference,
            Caller caller) {
        ask(current, wanted, canary, percent, pool, replicas, alias, reference, caller.name());
    }

    /** Records what is asked for (a new revision when {@code wanted} differs from the target) and tells the workflow. */
    private void ask(
            EndpointRow current,
            RevisionSpec wanted,
            RevisionSpec canary,
            int percent,
            String pool,
            int replicas,
            String alias,
            String reference,
            String by) {
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> {
            EndpointDao dao = h.attach(EndpointDao.class);
            EndpointRow locked = dao.lock(current.project(), current.name())
                    .filter(r -> r.id().equals(current.id()) && !r.deleting())
                    .orElseThrow(() -> BatonException.conflict("endpoint '" + current.name() + "' is being deleted"));
            RevisionSpec target = revisionSpec(h, locked.id(), locked.revision());
            int revision = locked.revision();
            int last = lastRevision(h, locked);
            Integer canaryRevision = locked.targetCanaryRevision();
            Integer canaryPercent = locked.targetCanaryPercent();
            if (!wanted.equals(target)) {
                last++;
                dao.insertRevision(
                        new EndpointRevisionRow(locked.id(), last, wanted.version(), Json.write(wanted), by, now));
                revision = last;
                canaryRevision = null; // a new rollout replaces a canary
                canaryPercent = null;
            }
            if (canary != null) {
                RevisionSpec running = canaryRevision == null ? null : revisionSpec(h, locked.id(), canaryRevision);
                if (!canary.equals(running)) {
                    last++;
                    dao.insertRevision(
                            new EndpointRevisionRow(locked.id(), last, canary.version(), Json.write(canary), by, now));
                    canaryRevision = last;
                }
                canaryPercent = percent;
            }
            dao.ask(asked(locked, reference, alias, pool, replicas, revision, canaryRevision, canaryPercent, now));
        });
        signal(current.id());
    }

    /** Sets the target revision and the target canary as given (a promotion, a canary's rollback). */
    private void update(EndpointRow current, int revision, Integer canaryRevision, Integer canaryPercent) {
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> {
            EndpointDao dao = h.attach(EndpointDao.class);
            EndpointRow locked = dao.lock(current.project(), current.name())
                    .filter(r -> r.id().equals(current.id()) && !r.deleting())
                    .orElseThrow(() -> BatonException.conflict("endpoint '" + current.name() + "' is being deleted"));
            dao.ask(asked(
                    locked,
                    locked.model(),
                    locked.alias(),
                    locked.pool(),
                    locked.replicas(),
                    revision,
                    canaryRevision,
                    canaryPercent,
                    now));
        });
        signal(current.id());
    }

    /** {@code row} asking for what is given (what is, its status and routing, stays as it was). */
    private static EndpointRow asked(
            EndpointRow row,
            String reference,
            String alias,
            String pool,
            int replicas,
            int revision,
            Integer canaryRevision,
            Integer canaryPercent,
            long now) {
        return new EndpointRow(
                row.id(),
                row.project(),
                row.name(),
                reference,
                row.modelProject(),
                row.modelName(),
                alias,
                pool,
                replicas,
                revision,
                canaryRevision,
                canaryPercent,
                false,
                row.status(),
                row.message(),
                row.stableRevision(),
                row.canaryRevision(),
                row.canaryPercent(),
                row.createdBy(),
                row.createdById(),
                row.createdAt(),
                now);
    }

    private static int lastRevision(Handle h, EndpointRow row) {
        int last = Math.max(row.revision(), row.targetCanaryRevision() == null ? 0 : row.targetCanaryRevision());
        EndpointDao dao = h.attach(EndpointDao.class);
        while (dao.revision(row.id(), last + 1).isPresent()) {
            last++;
        }
        return last;
    }

    /** Tells the endpoint's workflow to look at its record again; false when it has no workflow. */
    private boolean signal(String endpointId) {
        try {
            temporal.endpointChanged(endpointId);
            return true;
        } catch (RuntimeException e) {
            log.warn("cannot tell endpoint {}'s workflow of a change ({})", endpointId, e.getMessage());
            return false;
        }
    }

    void removeRecord(String endpointId) {
        jdbi.onDemand(EndpointDao.class).remove(endpointId);
    }

    private EndpointRow require(String project, String name, Caller caller, Permission permission) {
        String p = Projects.check(project);
        access.require(caller, p, permission, () -> notFound(p, name));
        AuditNote.project(p);
        AuditNote.object("endpoint", name);
        return jdbi.onDemand(EndpointDao.class).find(p, name).orElseThrow(() -> notFound(p, name));
    }

    private RevisionSpec revisionSpec(String endpointId, int revision) {
        return jdbi.withHandle(h -> revisionSpec(h, endpointId, revision));
    }

    static RevisionSpec revisionSpec(Handle h, String endpointId, int revision) {
        EndpointRevisionRow row = h.attach(EndpointDao.class)
                .revision(endpointId, revision)
                .orElseThrow(
                        () -> new IllegalStateException("endpoint " + endpointId + " has no revision " + revision));
        return Json.read(row.spec(), RevisionSpec.class);
    }

    EndpointView view(String project, String name) {
        return jdbi.withHandle(h -> {
            EndpointDao dao = h.attach(EndpointDao.class);
            EndpointRow row = dao.find(project, name).orElseThrow(() -> notFound(project, name));
            RevisionSpec desired = revisionSpec(h, row.id(), row.revision());
            Integer version = row.stableRevision() == null
                    ? null
                    : dao.revision(row.id(), row.stableRevision())
                            .map(EndpointRevisionRow::version)
                            .orElse(null);
            EndpointView.Canary canary = null;
            Integer canaryRevision =
                    row.targetCanaryRevision() != null ? row.targetCanaryRevision() : row.canaryRevision();
            if (canaryRevision != null) {
                int percent = row.targetCanaryPercent() != null
                        ? row.targetCanaryPercent()
                        : row.canaryPercent() == null ? 0 : row.canaryPercent();
                int canaryVersion = dao.revision(row.id(), canaryRevision)
                        .map(EndpointRevisionRow::version)
                        .orElse(0);
                canary = new EndpointView.Canary(canaryVersion, percent, canaryRevision.equals(row.canaryRevision()));
            }
            List<EndpointView.Replica> replicas = new ArrayList<>();
            for (ReplicaRow r : dao.liveReplicas(row.id())) {
                replicas.add(new EndpointView.Replica(
                        r.id(),
                        r.worker(),
                        r.version(),
                        r.revision(),
                        r.status(),
                        r.message(),
                        Instant.ofEpochMilli(r.startedAt())));
            }
            List<EndpointView.History> history = dao.history(row.id()).stream()
                    .map(hr -> new EndpointView.History(
                            hr.version(),
                            Instant.ofEpochMilli(hr.fromAt()),
                            hr.toAt() == null ? null : Instant.ofEpochMilli(hr.toAt()),
                            hr.movedBy()))
                    .toList();
            return new EndpointView(
                    row.name(),
                    row.project(),
                    row.status(),
                    row.message(),
                    row.model(),
                    version,
                    canary,
                    replicas,
                    "/serve/" + row.project() + "/" + row.name() + "/",
                    history,
                    EndpointSpecs.desired(row, desired),
                    row.createdBy(),
                    Instant.ofEpochMilli(row.createdAt()),
                    Instant.ofEpochMilli(row.updatedAt()));
        });
    }
}
