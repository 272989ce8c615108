package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Attempts of steps, keyed by run, step and number so that every report is idempotent. */
@RegisterConstructorMapper(AttemptRow.class)
public interface AttemptDao {
    /** The columns of {@link AttemptRow}: never the environment and hardware JSON, which views do not need. */
    String ROW = "SELECT run_id, step, number, status, worker, exit_code, message, started_at, finished_at, log_bytes"
            + " FROM attempts";

    @SqlQuery(ROW + " WHERE run_id = :runId AND step = :step AND number = :number")
    Optional<AttemptRow> find(String runId, String step, int number);

    @SqlUpdate("INSERT INTO attempts (run_id, step, number, status, worker, started_at, environment, hardware)"
            + " VALUES (:runId, :step, :number, 'RUNNING', :worker, :now, :environment, :hardware)")
    void insert(String runId, String step, int number, String worker, long now, String environment, String hardware);

    /** Closes attempts that are still open but older than {@code number}: their worker was lost. */
    @SqlUpdate("UPDATE attempts SET status = 'LOST', finished_at = :now, message = :message"
            + " WHERE run_id = :runId AND step = :step AND number < :number AND status = 'RUNNING'")
    int closeEarlierAsLost(String runId, String step, int number, String message, long now);

    @SqlUpdate("UPDATE attempts SET status = :status, finished_at = :now, message = :message"
            + " WHERE run_id = :runId AND step = :step AND status = 'RUNNING'")
    int closeOpen(String runId, String step, String status, String message, long now);

    /** Closes a running attempt of a run that has not ended; 0 when there is none such. */
    @SqlUpdate("UPDATE attempts SET status = :status, exit_code = :exitCode, message = :message, finished_at = :now"
            + " WHERE run_id = :runId AND step = :step AND number = :number AND status = 'RUNNING'"
            + " AND EXISTS (SELECT 1 FROM runs r WHERE r.id = :runId AND r.status IN ('QUEUED', 'RUNNING'))")
    int finish(String runId, String step, int number, String status, Integer exitCode, String message, long now);

    @SqlUpdate("UPDATE attempts SET log_bytes = log_bytes + :bytes WHERE run_id = :runId AND step = :step"
            + " AND number = :number")
    void addLogBytes(String runId, String step, int number, long bytes);

    /** Where each attempt of a run ran, for its record (the JSON is large: never read for lists). */
    @SqlQuery("SELECT run_id, step, number, environment, hardware, log_bytes FROM attempts WHERE run_id = :runId"
            + " ORDER BY step, number")
    @RegisterConstructorMapper(AttemptEnvironmentRow.class)
    List<AttemptEnvironmentRow> environmentsOfRun(String runId);

    @SqlQuery(ROW + " WHERE run_id IN (<runIds>) ORDER BY run_id, step, number")
    List<AttemptRow> ofRuns(@BindList("runIds") List<String> runIds);

    @SqlQuery("SELECT COUNT(*) FROM attempts WHERE run_id = :runId AND step = :step AND number < :number"
            + " AND status IN ('FAILED', 'TIMED_OUT')")
    int failuresBefore(String runId, String step, int number);

    @SqlQuery("SELECT MAX(number) FROM attempts WHERE run_id = :runId AND step = :step")
    Optional<Integer> latest(String runId, String step);

    /** The running total of the attempt's log bytes. */
    @SqlQuery("SELECT log_bytes FROM attempts WHERE run_id = :runId AND step = :step AND number = :number")
    long logBytes(String runId, String step, int number);

    /** The status of the attempt's run; empty when the attempt is unknown. */
    @SqlQuery("SELECT r.status FROM attempts a JOIN runs r ON r.id = a.run_id"
            + " WHERE a.run_id = :runId AND a.step = :step AND a.number = :number")
    Optional<String> runStatus(String runId, String step, int number);
}
