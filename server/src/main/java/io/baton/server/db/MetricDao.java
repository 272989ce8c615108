package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Metric points of attempts written one row per point, before points were stored packed (metric_chunks). */
@RegisterConstructorMapper(MetricRow.class)
public interface MetricDao {
    @SqlQuery("SELECT * FROM metrics WHERE run_id = :runId ORDER BY step, attempt, name, seq")
    List<MetricRow> ofRun(@Bind("runId") String runId);
}
