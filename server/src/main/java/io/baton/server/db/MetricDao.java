package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Metric points of attempts. */
@RegisterConstructorMapper(MetricRow.class)
public interface MetricDao {
  @SqlBatch("INSERT INTO metrics (run_id, step, attempt, name, seq, metric_value, time_ms, x) VALUES (:runId,"
      + " :step, :attempt, :name, :seq, :metricValue, :timeMs, :x)")
  void insertAll(@BindMethods List<MetricRow> rows);

  @SqlQuery("SELECT * FROM metrics WHERE run_id = :runId ORDER BY step, attempt, name, seq")
  List<MetricRow> ofRun(@Bind("runId") String runId);
}
