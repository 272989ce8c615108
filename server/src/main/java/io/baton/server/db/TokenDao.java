package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** API tokens, found by the sha256 of their secret. */
@RegisterConstructorMapper(TokenRow.class)
public interface TokenDao {
    @SqlUpdate("INSERT INTO tokens (id, name, kind, admin, secret_sha256, created_by, created_at, expires_at, user_id,"
            + " pools) VALUES (:id, :name, :kind, :admin, :secretSha256, :createdBy, :createdAt, :expiresAt, :userId,"
            + " :pools)")
    void insert(@BindMethods TokenRow token);

    @SqlQuery("SELECT * FROM tokens WHERE secret_sha256 = :hash")
    Optional<TokenRow> findBySecret(String hash);

    @SqlQuery("SELECT * FROM tokens WHERE revoked_at IS NULL AND kind <> 'attempt' ORDER BY id DESC")
    List<TokenRow> active();

    @SqlQuery("SELECT * FROM tokens WHERE revoked_at IS NULL AND user_id = :userId ORDER BY id DESC")
    List<TokenRow> activeOf(String userId);

    @SqlUpdate("UPDATE tokens SET last_used_at = :now WHERE id = :id")
    void used(String id, long now);

    @SqlUpdate("UPDATE tokens SET revoked_at = :now WHERE user_id = :userId AND revoked_at IS NULL")
    int revokeOfUser(String userId, long now);

    @SqlQuery("SELECT * FROM tokens WHERE id = :id")
    Optional<TokenRow> find(String id);

    @SqlUpdate("UPDATE tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
    int revoke(String id, long now);

    /** An attempt token, named after its run's submitter (whose rights it reads with). */
    @SqlUpdate("INSERT INTO tokens (id, name, kind, admin, secret_sha256, created_by, created_at, expires_at, run_id,"
            + " step, attempt) SELECT :t.id, r.created_by, :t.kind, FALSE, :t.secretSha256, :t.createdBy, :t.createdAt,"
            + " :t.expiresAt, r.id, :step, :attempt FROM runs r WHERE r.id = :runId")
    int insertForAttempt(@BindMethods("t") TokenRow token, String runId, String step, int attempt);

    /** The attempt of an attempt token, while that attempt runs (empty once it ended, however it ended). */
    @SqlQuery("SELECT t.run_id, t.step, t.attempt, r.project FROM tokens t JOIN attempts a ON a.run_id = t.run_id"
            + " AND a.step = t.step AND a.number = t.attempt JOIN runs r ON r.id = t.run_id WHERE t.id = :id"
            + " AND a.status = 'RUNNING'")
    @RegisterConstructorMapper(AttemptOfToken.class)
    Optional<AttemptOfToken> runningAttempt(String id);

    /** The attempt an attempt token belongs to. */
    record AttemptOfToken(String runId, String step, int attempt, String project) {}

    @SqlUpdate("UPDATE tokens SET revoked_at = :now WHERE run_id = :runId AND step = :step AND attempt = :attempt"
            + " AND revoked_at IS NULL")
    int revokeForAttempt(String runId, String step, int attempt, long now);

    @SqlUpdate("UPDATE tokens SET revoked_at = :now WHERE name = :name AND kind = :kind AND revoked_at IS NULL")
    int revokeByName(String name, String kind, long now);
}
