package io.baton.server.endpoints;

import io.baton.server.db.EndpointDao;
import io.baton.server.db.EndpointHistoryRow;
import io.baton.server.db.EndpointRevisionRow;
import io.baton.server.db.EndpointRow;
import io.baton.server.db.ReplicaRow;
import io.baton.workflows.EndpointActivities;
import io.baton.workflows.EndpointTarget;
import io.baton.workflows.ReplicaRequest;
import io.baton.workflows.StagedInput;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The endpoint record's side of {@link io.baton.workflows.EndpointWorkflow}: each write idempotent. */
public final class EndpointActivitiesImpl implements EndpointActivities {
    private final Jdbi jdbi;

    public EndpointActivitiesImpl(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public EndpointTarget target(String endpointId) {
        Optional<EndpointRow> found = jdbi.onDemand(EndpointDao.class).find(endpointId);
        if (found.isEmpty()) {
            return EndpointTarget.none();
        }
        EndpointRow row = found.get();
        return new EndpointTarget(
                true,
                row.deleting(),
                row.revision(),
                row.targetCanaryRevision() == null ? 0 : row.targetCanaryRevision(),
                row.targetCanaryPercent() == null ? 0 : row.targetCanaryPercent(),
                row.replicas(),
                row.pool());
    }

    @Override
    public ReplicaRequest replicaPlanned(String endpointId, int revision, String replicaId) {
        return jdbi.inTransaction(h -> {
            EndpointDao dao = h.attach(EndpointDao.class);
            EndpointRow endpoint =
                    dao.find(endpointId).orElseThrow(() -> new IllegalStateException("no endpoint " + endpointId));
            RevisionSpec spec = EndpointService.revisionSpec(h, endpointId, revision);
            if (dao.replica(replicaId).isEmpty()) {
                dao.insertReplica(new ReplicaRow(
                        replicaId,
                        endpointId,
                        revision,
                        spec.version(),
                        "STARTING",
                        null,
                        null,
                        null,
                        System.currentTimeMillis(),
                        null,
                        null));
            }
            String source = "model:" + spec.modelProject() + "/" + spec.modelName() + "/" + spec.version();
            List<StagedInput> files = spec.files().stream()
                    .map(f -> new StagedInput("model", null, f.path(), f.sha256(), f.size(), source))
                    .toList();
            return new ReplicaRequest(
                    endpointId,
                    endpoint.project(),
                    endpoint.name(),
                    replicaId,
                    revision,
                    spec.modelProject() + "/" + spec.modelName(),
                    spec.version(),
                    files,
                    spec.bundle(),
                    spec.command(),
                    spec.env() == null ? Map.of() : spec.env(),
                    spec.health(),
                    spec.healthTimeoutMs(),
                    spec.cpus(),
                    spec.memoryBytes(),
                    spec.gpus());
        });
    }

    @Override
    public void replicaDraining(String replicaId) {
        jdbi.onDemand(EndpointDao.class).draining(replicaId);
    }

    @Override
    public void replicaEnded(String replicaId, String status, String message) {
        jdbi.onDemand(EndpointDao.class).ended(replicaId, status, message, System.currentTimeMillis());
    }

    @Override
    public void routing(String endpointId, int stable, int canary, int canaryPercent) {
        long now = System.currentTimeMillis();
        jdbi.useTransaction(h -> {
            EndpointDao dao = h.attach(EndpointDao.class);
            Optional<EndpointRow> row = dao.find(endpointId);
            if (row.isEmpty()) {
                return;
            }
            Integer before = row.get().stableRevision();
            dao.routing(
                    endpointId,
                    stable == 0 ? null : stable,
                    canary == 0 ? null : canary,
                    canary == 0 ? null : canaryPercent,
                    now);
            if (stable != 0 && (before == null || before != stable)) {
                // the served history: the version that took the traffic, from now, asked for by whom
                EndpointRevisionRow revision = dao.revision(endpointId, stable).orElseThrow();
                List<EndpointHistoryRow> history = dao.history(endpointId);
                dao.closeHistory(endpointId, now);
                dao.insertHistory(new EndpointHistoryRow(
                        endpointId, history.size() + 1, revision.version(), stable, now, null, revision.createdBy()));
            } else if (stable == 0) {
                dao.closeHistory(endpointId, now);
            }
        });
    }

    @Override
    public void status(String endpointId, String status, String message) {
        jdbi.onDemand(EndpointDao.class).status(endpointId, status, message, System.currentTimeMillis());
    }

    @Override
    public String rolloutFailed(String endpointId, int revision, String message) {
        EndpointDao dao = jdbi.onDemand(EndpointDao.class);
        int version = dao.revision(endpointId, revision)
                .map(EndpointRevisionRow::version)
                .orElse(0);
        Integer serving = dao.find(endpointId)
                .map(EndpointRow::stableRevision)
                .flatMap(r -> dao.revision(endpointId, r))
                .map(EndpointRevisionRow::version)
                .orElse(null);
        return "the rollout of version " + version + " (revision " + revision + ") failed: " + message
                + (serving == null ? "" : "; version " + serving + " still serves");
    }

    @Override
    public void removed(String endpointId) {
        jdbi.onDemand(EndpointDao.class).remove(endpointId);
    }
}
