package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Log chunks of attempts, in order of their sequence number; a chunk's byte offset is where it starts. */
public interface LogDao {
    @SqlQuery("SELECT COUNT(*) FROM log_chunks WHERE run_id = :runId AND step = :step AND attempt = :attempt"
            + " AND seq = :seq")
    int count(String runId, String step, int attempt, long seq);

    @SqlUpdate("INSERT INTO log_chunks (run_id, step, attempt, seq, byte_offset, content) VALUES (:runId, :step,"
            + " :attempt, :seq, :offset, :content)")
    void insert(String runId, String step, int attempt, long seq, long offset, byte[] content);

    /** The chunks that hold bytes at or after {@code from}, in order. */
    @SqlQuery("SELECT byte_offset, content FROM log_chunks WHERE run_id = :runId AND step = :step"
            + " AND attempt = :attempt AND byte_offset + OCTET_LENGTH(content) > :from ORDER BY seq LIMIT :limit")
    @RegisterConstructorMapper(Chunk.class)
    List<Chunk> from(String runId, String step, int attempt, long from, int limit);

    record Chunk(long byteOffset, byte[] content) {}
}
