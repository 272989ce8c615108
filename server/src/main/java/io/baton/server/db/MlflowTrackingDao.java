package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** What MLflow's tracking routes read and write: attempts' parameters and tags, and runs as experiments' runs. */
@RegisterConstructorMapper(AttemptValueRow.class)
@RegisterConstructorMapper(RunRow.class)
@RegisterConstructorMapper(MetricChunkRow.class)
@RegisterConstructorMapper(ArtifactRow.class)
public interface MlflowTrackingDao {
    /** The attempt's status, its row locked: MLflow's writes to one attempt go one after another. */
    @SqlQuery("SELECT status FROM attempts WHERE run_id = :runId AND step = :step AND number = :attempt FOR UPDATE")
    Optional<String> lockAttempt(String runId, String step, int attempt);

    /** The steps of a run that have an attempt of this number. */
    @SqlQuery("SELECT step FROM attempts WHERE run_id = :runId AND number = :attempt")
    List<String> stepsWithAttempt(String runId, int attempt);

    @SqlQuery(
            "SELECT run_id, step, attempt, name, param_value AS item_value FROM attempt_params WHERE run_id IN (<runs>)")
    List<AttemptValueRow> paramsOfRuns(@BindList("runs") List<String> runIds);

    @SqlQuery("SELECT run_id, step, attempt, name, tag_value AS item_value FROM attempt_tags WHERE run_id IN (<runs>)")
    List<AttemptValueRow> tagsOfRuns(@BindList("runs") List<String> runIds);

    @SqlQuery("SELECT run_id, step, attempt, name, param_value AS item_value FROM attempt_params WHERE run_id = :runId"
            + " AND step = :step"
            + " AND attempt = :attempt AND name IN (<names>)")
    List<AttemptValueRow> params(String runId, String step, int attempt, @BindList("names") List<String> names);

    @SqlBatch("INSERT INTO attempt_params (run_id, step, attempt, name, param_value) VALUES (:runId, :step,"
            + " :attempt, :name, :value)")
    void insertParams(String runId, String step, int attempt, @Bind("name") List<String> names, List<String> value);

    /** Tags set again are replaced: removed first, in the same transaction (the attempt's row is locked). */
    @SqlUpdate("DELETE FROM attempt_tags WHERE run_id = :runId AND step = :step AND attempt = :attempt"
            + " AND name IN (<names>)")
    void deleteTags(String runId, String step, int attempt, @BindList("names") List<String> names);

    @SqlBatch("INSERT INTO attempt_tags (run_id, step, attempt, name, tag_value) VALUES (:runId, :step, :attempt,"
            + " :name, :value)")
    void insertTags(String runId, String step, int attempt, @Bind("name") List<String> names, List<String> value);

    /** The next batch number at or above {@code base} of the attempt's metric chunks. */
    @SqlQuery("SELECT COALESCE(MAX(batch_seq) + 1, :base) FROM metric_chunks WHERE run_id = :runId AND step = :step"
            + " AND attempt = :attempt AND batch_seq >= :base")
    long nextBatch(String runId, String step, int attempt, long base);

    /** The pipelines a project's runs belong to ('' for runs of no pipeline), and those registered in it. */
    @SqlQuery("SELECT COALESCE(pipeline, '') FROM runs WHERE project = :project UNION SELECT name FROM"
            + " pipeline_versions WHERE project = :project")
    List<String> experiments(String project);

    /** The first run of a pipeline in the project (its experiment's creation time), if any. */
    @SqlQuery("SELECT MIN(created_at) FROM runs WHERE project = :project AND COALESCE(pipeline, '') = :pipeline")
    Optional<Long> firstRunAt(String project, String pipeline);

    /** The latest runs of these pipelines ('' for runs of no pipeline), newest first. */
    @SqlQuery("SELECT * FROM runs WHERE project = :project AND COALESCE(pipeline, '') IN (<pipelines>)"
            + " ORDER BY created_at DESC, id DESC LIMIT :limit")
    List<RunRow> runsOf(String project, @BindList("pipelines") List<String> pipelines, int limit);

    /** One series of one attempt, its chunks in order. */
    @SqlQuery("SELECT step, attempt, name, points FROM metric_chunks WHERE run_id = :runId AND step = :step"
            + " AND attempt = :attempt AND name = :name ORDER BY batch_seq")
    List<MetricChunkRow> chunks(String runId, String step, int attempt, String name);

    /** Every chunk of a run, by step, attempt, name and batch. */
    @SqlQuery("SELECT step, attempt, name, points FROM metric_chunks WHERE run_id = :runId"
            + " ORDER BY step, attempt, name, batch_seq")
    List<MetricChunkRow> chunksOfRun(String runId);

    /**
     * A file a step logged through MLflow, as an output of its attempt: {@code pathKey} is not the path's own hash,
     * so that it never meets a file of the step's outputs folder. Logged again, it is replaced (removed first).
     */
    @SqlUpdate("DELETE FROM artifacts WHERE run_id = :runId AND step = :step AND attempt = :attempt"
            + " AND path_sha256 = :pathKey")
    void deleteArtifact(String runId, String step, int attempt, String pathKey);

    @SqlUpdate("INSERT INTO artifacts (run_id, step, attempt, path, path_sha256, sha256, size_bytes, created_at)"
            + " VALUES (:runId, :step, :attempt, :path, :pathKey, :sha256, :size, :now)")
    void insertArtifact(
            String runId, String step, int attempt, String path, String pathKey, String sha256, long size, long now);

    /** The attempt's files whose path starts with {@code prefix}. */
    @SqlQuery("SELECT run_id, step, attempt, path, sha256, size_bytes, created_at FROM artifacts WHERE run_id = :runId"
            + " AND step = :step AND attempt = :attempt AND path LIKE CONCAT(:prefix, '%') ORDER BY path")
    List<ArtifactRow> artifacts(String runId, String step, int attempt, String prefix);
}
