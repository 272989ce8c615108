package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Decisions about steps waiting for approval: one per step, never changed. */
@RegisterConstructorMapper(ApprovalRow.class)
public interface ApprovalDao {
    String ROW = "SELECT run_id, step, approved, decided_by, note, decided_at FROM approvals";

    /** Fails on the primary key when the step was decided before. */
    @SqlUpdate("INSERT INTO approvals (run_id, step, approved, decided_by, decided_by_id, note, decided_at)"
            + " VALUES (:runId, :step, :approved, :decidedBy, :decidedById, :note, :now)")
    void insert(
            String runId, String step, boolean approved, String decidedBy, String decidedById, String note, long now);

    @SqlQuery(ROW + " WHERE run_id = :runId AND step = :step")
    Optional<ApprovalRow> find(String runId, String step);

    @SqlQuery(ROW + " WHERE run_id IN (<runIds>)")
    List<ApprovalRow> ofRuns(@BindList("runIds") List<String> runIds);
}
