package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;

/** A run's parameters as rows, which the runs search filters by. */
public interface RunParameterDao {
    @SqlBatch("INSERT INTO run_parameters (run_id, name, value_number, value_text) VALUES (:runId, :name, :number,"
            + " :text)")
    void insertAll(String runId, @BindMethods List<RunParameterRow> rows);
}
