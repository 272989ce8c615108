package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Endpoints, their revisions, replicas and served history (V18). */
@RegisterConstructorMapper(EndpointRow.class)
@RegisterConstructorMapper(EndpointRevisionRow.class)
@RegisterConstructorMapper(ReplicaRow.class)
@RegisterConstructorMapper(EndpointHistoryRow.class)
public interface EndpointDao {
    @SqlUpdate("INSERT INTO endpoints (id, project, name, model, model_project, model_name, alias, pool, replicas,"
            + " revision, target_canary_revision, target_canary_percent, deleting, status, message, stable_revision,"
            + " canary_revision, canary_percent, created_by, created_by_id, created_at, updated_at) VALUES (:id,"
            + " :project, :name, :model, :modelProject, :modelName, :alias, :pool, :replicas, :revision,"
            + " :targetCanaryRevision, :targetCanaryPercent, :deleting, :status, :message, :stableRevision,"
            + " :canaryRevision, :canaryPercent, :createdBy, :createdById, :createdAt, :updatedAt)")
    void insert(@BindMethods EndpointRow endpoint);

    @SqlQuery("SELECT * FROM endpoints WHERE id = :id")
    Optional<EndpointRow> find(String id);

    @SqlQuery("SELECT * FROM endpoints WHERE project = :project AND name = :name")
    Optional<EndpointRow> find(String project, String name);

    @SqlQuery("SELECT * FROM endpoints WHERE project = :project AND name = :name FOR UPDATE")
    Optional<EndpointRow> lock(String project, String name);

    @SqlQuery("SELECT * FROM endpoints WHERE project IN (<projects>) ORDER BY project, name")
    List<EndpointRow> ofProjects(@BindList("projects") List<String> projects);

    @SqlQuery("SELECT * FROM endpoints ORDER BY project, name")
    List<EndpointRow> all();

    @SqlQuery("SELECT * FROM endpoints WHERE model_project = :project AND model_name = :model AND alias = :alias"
            + " AND deleting = FALSE")
    List<EndpointRow> following(String project, String model, String alias);

    /** What is asked for: a new revision, the target canary, the replica count, the pool. */
    @SqlUpdate("UPDATE endpoints SET model = :model, alias = :alias, pool = :pool, replicas = :replicas,"
            + " revision = :revision, target_canary_revision = :targetCanaryRevision, target_canary_percent ="
            + " :targetCanaryPercent, updated_at = :updatedAt WHERE id = :id AND deleting = FALSE")
    int ask(@BindMethods EndpointRow endpoint);

    @SqlUpdate("UPDATE endpoints SET deleting = TRUE, status = 'STOPPED', updated_at = :now WHERE id = :id")
    int markDeleting(String id, long now);

    @SqlUpdate("UPDATE endpoints SET status = :status, message = :message, updated_at = :now WHERE id = :id")
    int status(String id, String status, String message, long now);

    @SqlUpdate("UPDATE endpoints SET message = :message, updated_at = :now WHERE id = :id")
    int message(String id, String message, long now);

    @SqlUpdate("UPDATE endpoints SET stable_revision = :stable, canary_revision = :canary, canary_percent = :percent,"
            + " updated_at = :now WHERE id = :id")
    int routing(String id, Integer stable, Integer canary, Integer percent, long now);

    @SqlUpdate("DELETE FROM endpoints WHERE id = :id")
    int delete(String id);

    @SqlUpdate("INSERT INTO endpoint_revisions (endpoint_id, revision, version, spec, created_by, created_at) VALUES"
            + " (:endpointId, :revision, :version, :spec, :createdBy, :createdAt)")
    void insertRevision(@BindMethods EndpointRevisionRow revision);

    @SqlQuery("SELECT * FROM endpoint_revisions WHERE endpoint_id = :endpointId AND revision = :revision")
    Optional<EndpointRevisionRow> revision(String endpointId, int revision);

    @SqlUpdate("DELETE FROM endpoint_revisions WHERE endpoint_id = :endpointId")
    int deleteRevisions(String endpointId);

    @SqlUpdate("INSERT INTO endpoint_replicas (id, endpoint_id, revision, version, status, worker, address, message,"
            + " started_at, ready_at, ended_at) VALUES (:id, :endpointId, :revision, :version, :status, :worker,"
            + " :address, :message, :startedAt, :readyAt, :endedAt)")
    void insertReplica(@BindMethods ReplicaRow replica);

    @SqlQuery("SELECT * FROM endpoint_replicas WHERE id = :id")
    Optional<ReplicaRow> replica(String id);

    @SqlQuery("SELECT * FROM endpoint_replicas WHERE endpoint_id = :endpointId AND status IN ('STARTING', 'READY',"
            + " 'DRAINING') ORDER BY started_at, id")
    List<ReplicaRow> liveReplicas(String endpointId);

    @SqlUpdate("UPDATE endpoint_replicas SET status = 'READY', worker = :worker, address = :address, ready_at = :now"
            + " WHERE id = :id AND status = 'STARTING'")
    int ready(String id, String worker, String address, long now);

    @SqlUpdate("UPDATE endpoint_replicas SET status = 'DRAINING' WHERE id = :id AND status IN ('STARTING', 'READY')")
    int draining(String id);

    @SqlUpdate("UPDATE endpoint_replicas SET status = :status, message = :message, ended_at = :now WHERE id = :id AND"
            + " status IN ('STARTING', 'READY', 'DRAINING')")
    int ended(String id, String status, String message, long now);

    @SqlUpdate("DELETE FROM endpoint_replicas WHERE endpoint_id = :endpointId")
    int deleteReplicas(String endpointId);

    @SqlQuery("SELECT * FROM endpoint_history WHERE endpoint_id = :endpointId ORDER BY seq")
    List<EndpointHistoryRow> history(String endpointId);

    @SqlUpdate("UPDATE endpoint_history SET to_at = :now WHERE endpoint_id = :endpointId AND to_at IS NULL")
    int closeHistory(String endpointId, long now);

    @SqlUpdate("INSERT INTO endpoint_history (endpoint_id, seq, version, revision, from_at, to_at, moved_by) VALUES"
            + " (:endpointId, :seq, :version, :revision, :fromAt, :toAt, :movedBy)")
    void insertHistory(@BindMethods EndpointHistoryRow row);

    @SqlUpdate("DELETE FROM endpoint_history WHERE endpoint_id = :endpointId")
    int deleteHistory(String endpointId);

    /** An endpoint's whole record: its replicas, history, revisions and row, at once. */
    @Transaction
    default void remove(String endpointId) {
        deleteReplicas(endpointId);
        deleteHistory(endpointId);
        deleteRevisions(endpointId);
        delete(endpointId);
    }
}
