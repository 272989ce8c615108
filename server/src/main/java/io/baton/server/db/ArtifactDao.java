package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Outputs of attempts. */
@RegisterConstructorMapper(ArtifactRow.class)
public interface ArtifactDao {
    @SqlUpdate("INSERT INTO artifacts (run_id, step, attempt, path, path_sha256, sha256, size_bytes, created_at)"
            + " VALUES (:runId, :step, :attempt, :path, :pathSha256, :sha256, :size, :now)")
    void insert(
            String runId, String step, int attempt, String path, String pathSha256, String sha256, long size, long now);

    /** The files of the attempt's outputs folder (not those its step logged through MLflow, under mlflow/). */
    @SqlQuery("SELECT COUNT(*) FROM artifacts WHERE run_id = :runId AND step = :step AND attempt = :attempt"
            + " AND path NOT LIKE 'mlflow/%'")
    int count(String runId, String step, int attempt);

    @SqlQuery("SELECT run_id, step, attempt, path, sha256, size_bytes, created_at FROM artifacts WHERE run_id = :runId"
            + " ORDER BY step, attempt, path")
    List<ArtifactRow> ofRun(String runId);
}
