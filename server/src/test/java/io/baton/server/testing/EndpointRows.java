package io.baton.server.testing;

import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Endpoints, revisions and replicas written straight into a server's database, as the endpoint workflow would
 * write them: tests of the {@code /serve} proxy route to real serving processes without a workflow or a worker.
 */
public final class EndpointRows {
    private final Jdbi db;

    public EndpointRows(Jdbi db) {
        this.db = db;
    }

    /** An endpoint with a stable revision 1 (serving {@code version}), status READY; its id. */
    public String endpoint(String project, String name, int version) {
        String id = UUID.randomUUID().toString();
        long now = System.currentTimeMillis();
        db.useHandle(h -> h.execute(
                "INSERT INTO endpoints (id, project, name, model, model_project, model_name, alias, status, message,"
                        + " pool, replicas, revision, stable_revision, canary_revision, canary_percent, created_by,"
                        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, 'READY', NULL, 'cpu', 1, 1, 1,"
                        + " NULL, NULL, 'admin', ?, ?)",
                id,
                project,
                name,
                "m/" + version,
                project,
                "m",
                now,
                now));
        revision(id, 1, version);
        return id;
    }

    public void revision(String endpointId, int revision, int version) {
        db.useHandle(h -> h.execute(
                "INSERT INTO endpoint_revisions (endpoint_id, revision, version, spec, created_by, created_at)"
                        + " VALUES (?, ?, ?, '{}', 'admin', ?)",
                endpointId,
                revision,
                version,
                System.currentTimeMillis()));
    }

    /** Moves the endpoint's traffic: its status and message, stable and canary revisions, the canary's share. */
    public void route(
            String endpointId, String status, String message, Integer stable, Integer canary, Integer percent) {
        db.useHandle(h -> h.execute(
                "UPDATE endpoints SET status = ?, message = ?, stable_revision = ?, canary_revision = ?,"
                        + " canary_percent = ?, revision = GREATEST(revision, COALESCE(?, 0), COALESCE(?, 0))"
                        + " WHERE id = ?",
                status,
                message,
                stable,
                canary,
                percent,
                stable,
                canary,
                endpointId));
    }

    /** A replica row of the endpoint's revision; its id. */
    public String replica(String endpointId, int revision, int version, String status, String address) {
        String id = "r-" + UUID.randomUUID();
        db.useHandle(h -> h.execute(
                "INSERT INTO endpoint_replicas (id, endpoint_id, revision, version, status, worker, address, message,"
                        + " started_at, ready_at, ended_at) VALUES (?, ?, ?, ?, ?, 'w1', ?, NULL, ?, NULL, NULL)",
                id,
                endpointId,
                revision,
                version,
                status,
                address,
                System.currentTimeMillis()));
        return id;
    }

    public void replicaStatus(String replicaId, String status) {
        db.useHandle(h -> h.execute("UPDATE endpoint_replicas SET status = ? WHERE id = ?", status, replicaId));
    }
}
