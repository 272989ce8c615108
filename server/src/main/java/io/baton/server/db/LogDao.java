package io.baton.server.db;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Log chunks of attempts, in order of their sequence number; a chunk's byte offset is where it starts. */
public interface LogDao {
    @SqlQuery("SELECT COUNT(*) FROM log_chunks WHERE run_id = :runId AND step = :step AND attempt = :attempt"
            + " AND seq = :seq")
    int count(
            @Bind("runId") String runId,
            @Bind("step") String step,
            @Bind("attempt") int attempt,
            @Bind("seq") long seq);

    @SqlUpdate("INSERT INTO log_chunks (run_id, step, attempt, seq, byte_offset, content) VALUES (:runId, :step,"
            + " :attempt, :seq, :offset, :content)")
    void insert(
            @Bind("runId") String runId,
            @Bind("step") String step,
            @Bind("attempt") int attempt,
            @Bind("seq") long seq,
            @Bind("offset") long offset,
            @Bind("content") byte[] content);

    /** The chunks that hold bytes at or after {@code from}, in order. */
    @SqlQuery("SELECT byte_offset, content FROM log_chunks WHERE run_id = :runId AND step = :step"
            + " AND attempt = :attempt AND byte_offset + OCTET_LENGTH(content) > :from ORDER BY seq LIMIT :limit")
    @RegisterConstructorMapper(Chunk.class)
    List<Chunk> from(
            @Bind("runId") String runId,
            @Bind("step") String step,
            @Bind("attempt") int attempt,
            @Bind("from") long from,
            @Bind("limit") int limit);

    record Chunk(long byteOffset, byte[] content) {}
}
