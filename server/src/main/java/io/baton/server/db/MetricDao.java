package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Metric points, packed per log batch and name ({@code metric_chunks}), and each run's last value per metric. */
@RegisterConstructorMapper(MetricChunkRow.class)
@RegisterConstructorMapper(LastMetricRow.class)
public interface MetricDao {
    /** The last value of each metric of these runs, by name. */
    @SqlQuery("SELECT run_id, name, metric_value FROM run_metrics WHERE run_id IN (<runs>) ORDER BY name")
    List<LastMetricRow> lastOfRuns(@BindList("runs") List<String> runIds);

    /** One row per name, {@code names} and {@code points} side by side. */
    @SqlBatch("INSERT INTO metric_chunks (run_id, step, attempt, name, batch_seq, points)"
            + " VALUES (:runId, :step, :attempt, :name, :batchSeq, :points)")
    void insertChunks(
            String runId,
            String step,
            int attempt,
            long batchSeq,
            @Bind("name") List<String> names,
            List<String> points);

    /** A run's chunks by step, attempt, name and batch: each series' points in order. */
    @SqlQuery("SELECT step, attempt, name, points FROM metric_chunks WHERE run_id = :runId"
            + " ORDER BY step, attempt, name, batch_seq")
    ResultIterable<MetricChunkRow> chunks(String runId);

    /** Moves a metric's last value to this point unless the stored one is later; the rows changed. */
    @SqlUpdate("UPDATE run_metrics SET step = :step, attempt = :attempt, seq = :seq, time_ms = :time,"
            + " metric_value = :value WHERE run_id = :runId AND name = :name"
            + " AND (time_ms < :time OR (time_ms = :time AND seq <= :seq))")
    int updateLast(String runId, String name, String step, int attempt, long seq, long time, double value);

    @SqlQuery("SELECT COUNT(*) FROM run_metrics WHERE run_id = :runId AND name = :name")
    int countLast(String runId, String name);

    @SqlUpdate("INSERT INTO run_metrics (run_id, name, step, attempt, seq, time_ms, metric_value)"
            + " VALUES (:runId, :name, :step, :attempt, :seq, :time, :value)")
    void insertLast(String runId, String name, String step, int attempt, long seq, long time, double value);
}
