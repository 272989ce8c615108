package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Runs. Status changes never leave a terminal state: every update says which states it may start from. */
@RegisterConstructorMapper(RunRow.class)
public interface RunDao {
    @SqlUpdate("INSERT INTO runs (id, project, pipeline, pipeline_version, status, workflow_id, bundle, spec,"
            + " spec_sha256, parameters, plan, priority, created_by, created_at, resumed_from, reproduced_from,"
            + " idempotency_key, created_by_id) VALUES (:id, :project, :pipeline, :pipelineVersion, :status, :workflowId,"
            + " :bundle, :spec, :specSha256, :parameters, :plan, :priority, :createdBy, :createdAt, :resumedFrom,"
            + " :reproducedFrom, :idempotencyKey, :createdById)")
    void insert(@BindMethods RunRow run);

    @SqlQuery("SELECT * FROM runs WHERE id = :id")
    Optional<RunRow> find(String id);

    @SqlQuery("SELECT * FROM runs WHERE created_by = :user AND idempotency_key = :key")
    Optional<RunRow> findByIdempotencyKey(String user, String key);

    @SqlQuery("SELECT * FROM runs WHERE status = 'QUEUED' ORDER BY id")
    List<RunRow> queued();

    /**
     * Queued runs nobody else is about to start: a schedule's run is started by its schedule's action workflow (as
     * its child), so it is left alone until it is older than {@code scheduledBefore}.
     */
    @SqlQuery("SELECT * FROM runs WHERE status = 'QUEUED' AND (schedule_id IS NULL OR created_at < :scheduledBefore)"
            + " ORDER BY id")
    List<RunRow> queuedUnowned(long scheduledBefore);

    @SqlUpdate("UPDATE runs SET status = 'RUNNING', started_at = :now WHERE id = :id AND status = 'QUEUED'")
    int markRunning(String id, long now);

    @SqlUpdate("UPDATE runs SET status = :status, finished_at = :now, message = :message"
            + " WHERE id = :id AND status IN ('QUEUED', 'RUNNING')")
    int finish(String id, String status, String message, long now);

    @SqlQuery("SELECT status FROM runs WHERE id = :id")
    Optional<String> status(String id);

    @SqlQuery("SELECT COUNT(*) FROM runs WHERE id = :id")
    int count(String id);

    @SqlQuery("SELECT project FROM runs WHERE id = :id")
    Optional<String> projectOf(String id);
}
