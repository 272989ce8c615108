package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The steps of runs. */
@RegisterConstructorMapper(StepRow.class)
public interface StepDao {
  @SqlBatch("INSERT INTO steps (run_id, name, step_order, pool, status) VALUES (:runId, :name, :stepOrder, :pool,"
      + " :status)")
  void insertAll(@BindMethods List<StepRow> steps);

  @SqlQuery("SELECT * FROM steps WHERE run_id = :runId ORDER BY step_order")
  List<StepRow> ofRun(@Bind("runId") String runId);

  @SqlQuery("SELECT * FROM steps WHERE run_id IN (<runIds>) ORDER BY run_id, step_order")
  List<StepRow> ofRuns(@org.jdbi.v3.sqlobject.customizer.BindList("runIds") List<String> runIds);

  @SqlUpdate("UPDATE steps SET status = 'RUNNING', reason = NULL, started_at = COALESCE(started_at, :now)"
      + " WHERE run_id = :runId AND name = :name AND status IN ('PENDING', 'WAITING', 'RUNNING')")
  int markRunning(@Bind("runId") String runId, @Bind("name") String name, @Bind("now") long now);

  @SqlUpdate("UPDATE steps SET status = :status, exit_code = :exitCode, reason = :reason, finished_at = :now"
      + " WHERE run_id = :runId AND name = :name AND status IN ('PENDING', 'WAITING', 'RUNNING')")
  int finish(@Bind("runId") String runId, @Bind("name") String name, @Bind("status") String status,
             @Bind("exitCode") Integer exitCode, @Bind("reason") String reason, @Bind("now") long now);
}
