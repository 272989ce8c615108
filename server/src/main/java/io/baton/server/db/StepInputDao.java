package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The files each step was given (its inputs), written once per step. */
@RegisterConstructorMapper(StepInputRow.class)
public interface StepInputDao {
    @SqlQuery("SELECT COUNT(*) FROM step_inputs WHERE run_id = :runId AND step = :step")
    int count(String runId, String step);

    @SqlBatch("INSERT INTO step_inputs (run_id, step, input_name, producer, path, path_sha256, sha256, size_bytes,"
            + " source) VALUES (:runId, :step, :inputName, :producer, :path, :pathSha256, :sha256, :sizeBytes,"
            + " :source)")
    void insertAll(@BindMethods List<StepInputRow> inputs);

    @SqlQuery("SELECT run_id, step, input_name, producer, path, path_sha256, sha256, size_bytes, source"
            + " FROM step_inputs WHERE run_id = :runId ORDER BY step, input_name, producer, path")
    List<StepInputRow> ofRun(String runId);
}
