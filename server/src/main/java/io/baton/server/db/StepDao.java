package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The steps of runs. */
@RegisterConstructorMapper(StepRow.class)
public interface StepDao {
    @SqlBatch("INSERT INTO steps (run_id, name, step_order, pool, status, reason, finished_at, outputs) VALUES"
            + " (:runId, :name, :stepOrder, :pool, :status, :reason, :finishedAt, :outputs)")
    void insertAll(@BindMethods List<StepRow> steps);

    @SqlQuery("SELECT * FROM steps WHERE run_id = :runId ORDER BY step_order")
    List<StepRow> ofRun(String runId);

    @SqlQuery("SELECT * FROM steps WHERE run_id IN (<runIds>) ORDER BY run_id, step_order")
    List<StepRow> ofRuns(@BindList("runIds") List<String> runIds);

    @SqlUpdate("UPDATE steps SET status = 'RUNNING', reason = NULL, started_at = COALESCE(started_at, :now)"
            + " WHERE run_id = :runId AND name = :name AND status IN ('PENDING', 'WAITING', 'RUNNING')")
    int markRunning(String runId, String name, long now);

    @SqlUpdate("UPDATE steps SET status = :status, exit_code = :exitCode, reason = :reason, finished_at = :now,"
            + " outputs = :outputs, cache_key = COALESCE(:cacheKey, cache_key), cached_from = :cachedFrom"
            + " WHERE run_id = :runId AND name = :name AND status IN ('PENDING', 'WAITING', 'RUNNING')")
    int finish(
            String runId,
            String name,
            String status,
            Integer exitCode,
            String reason,
            long now,
            String outputs,
            String cacheKey,
            String cachedFrom);

    /** The key a cached step will be found by once it succeeds (its end may be written without the key). */
    @SqlUpdate("UPDATE steps SET cache_key = :key WHERE run_id = :runId AND name = :name"
            + " AND status IN ('PENDING', 'WAITING', 'RUNNING')")
    int setCacheKey(String runId, String name, String key);

    @SqlUpdate("UPDATE steps SET status = 'WAITING', reason = :reason WHERE run_id = :runId AND name = :name"
            + " AND status = 'PENDING'")
    int markWaiting(String runId, String name, String reason);

    /** Why a step that has not started yet waits (an attempt's start clears it). */
    @SqlUpdate("UPDATE steps SET reason = :reason WHERE run_id = :runId AND name = :name AND status = 'PENDING'")
    int notePending(String runId, String name, String reason);

    /**
     * The newest step that succeeded with this cache key in the same project as run {@code runId}: its outputs and
     * run (a cache hit hands outputs on, so it never crosses projects).
     */
    @SqlQuery("SELECT s.* FROM steps s JOIN runs r ON r.id = s.run_id WHERE s.cache_key = :key"
            + " AND s.status IN ('SUCCEEDED', 'CACHED') AND r.project = (SELECT project FROM runs WHERE id = :runId)"
            + " ORDER BY s.finished_at DESC LIMIT 1")
    Optional<StepRow> cached(String key, String runId);

    @SqlQuery("SELECT * FROM steps WHERE run_id = :runId AND name = :name")
    Optional<StepRow> find(String runId, String name);

    /** The outputs of the step if it SUCCEEDED, its row locked (a report ending it may be under way). */
    @SqlQuery("SELECT outputs FROM steps WHERE run_id = :runId AND name = :name AND status = 'SUCCEEDED' FOR UPDATE")
    Optional<String> succeededOutputsLocked(String runId, String name);

    /** The step and its run, and how many attempts numbered {@code number} it has; empty when either is unknown. */
    @SqlQuery("SELECT r.status AS run_status, s.status AS step_status,"
            + " CASE WHEN s.status = 'SUCCEEDED' THEN s.outputs END AS outputs,"
            + " (SELECT COUNT(*) FROM attempts a WHERE a.run_id = s.run_id AND a.step = s.name"
            + " AND a.number = :number) AS reported"
            + " FROM runs r JOIN steps s ON s.run_id = r.id AND s.name = :name WHERE r.id = :runId")
    @RegisterConstructorMapper(StepStateRow.class)
    Optional<StepStateRow> state(String runId, String name, int number);
}
