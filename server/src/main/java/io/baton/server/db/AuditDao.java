package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The audit log's rows and the chain's head ({@code audit_head}, the one row the appending writer locks). */
@RegisterConstructorMapper(AuditRow.class)
@RegisterConstructorMapper(AuditDao.Head.class)
public interface AuditDao {
    /** The end of the chain: the last entry's number and hash (0 and 64 zeros before the first). */
    record Head(long seq, String hash) {}

    /** The head, locked until the transaction ends: appenders on every server take their turn here. */
    @SqlQuery("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
    Head lockHead();

    @SqlQuery("SELECT seq, hash FROM audit_head WHERE id = 1")
    Head head();

    @SqlUpdate("UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")
    void setHead(long seq, String hash);

    @SqlBatch("INSERT INTO audit (seq, at_ms, user_name, user_id, token_kind, action, object_type, object_id,"
            + " project, address, status, detail, prev_hash, hash) VALUES (:seq, :atMs, :userName, :userId,"
            + " :tokenKind, :action, :objectType, :objectId, :project, :address, :status, :detail, :prevHash,"
            + " :hash)")
    void insert(@BindMethods List<AuditRow> rows);

    /** Entries newest first, before {@code beforeSeq}, each filter applied when it is not null. */
    @SqlQuery("SELECT * FROM audit WHERE seq < :beforeSeq AND (:project IS NULL OR project = :project)"
            + " AND (:user IS NULL OR user_name = :user) AND (:action IS NULL OR action = :action)"
            + " AND at_ms >= :sinceMs ORDER BY seq DESC LIMIT :limit")
    List<AuditRow> page(String project, String user, String action, long sinceMs, long beforeSeq, int limit);

    /** Entries in chain order from {@code afterSeq} on (verification reads the chain in such pages). */
    @SqlQuery("SELECT * FROM audit WHERE seq > :afterSeq ORDER BY seq LIMIT :limit")
    List<AuditRow> chainAfter(long afterSeq, int limit);

    @SqlQuery("SELECT * FROM audit WHERE object_type = :objectType AND object_id = :objectId ORDER BY seq")
    List<AuditRow> forObject(String objectType, String objectId);

    @SqlQuery("SELECT * FROM audit WHERE seq = :seq")
    Optional<AuditRow> find(long seq);
}
