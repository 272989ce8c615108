package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Outputs of attempts. */
@RegisterConstructorMapper(ArtifactRow.class)
public interface ArtifactDao {
    @SqlUpdate("INSERT INTO artifacts (run_id, step, attempt, path, path_sha256, sha256, size_bytes, created_at)"
            + " VALUES (:runId, :step, :attempt, :path, :pathSha256, :sha256, :size, :now)")
    void insert(
            @Bind("runId") String runId,
            @Bind("step") String step,
            @Bind("attempt") int attempt,
            @Bind("path") String path,
            @Bind("pathSha256") String pathSha256,
            @Bind("sha256") String sha256,
            @Bind("size") long size,
            @Bind("now") long now);

    @SqlQuery("SELECT COUNT(*) FROM artifacts WHERE run_id = :runId AND step = :step AND attempt = :attempt")
    int count(@Bind("runId") String runId, @Bind("step") String step, @Bind("attempt") int attempt);

    @SqlQuery("SELECT run_id, step, attempt, path, sha256, size_bytes, created_at FROM artifacts WHERE run_id = :runId"
            + " ORDER BY step, attempt, path")
    List<ArtifactRow> ofRun(@Bind("runId") String runId);
}
