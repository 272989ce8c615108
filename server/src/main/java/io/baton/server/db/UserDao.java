package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Users, found by id, name or OIDC subject. */
@RegisterConstructorMapper(UserRow.class)
public interface UserDao {
    @SqlUpdate("INSERT INTO users (id, name, email, password_hash, admin, oidc_subject, created_by, created_at)"
            + " VALUES (:id, :name, :email, :passwordHash, :admin, :oidcSubject, :createdBy, :createdAt)")
    void insert(@BindMethods UserRow user);

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<UserRow> find(String id);

    @SqlQuery("SELECT * FROM users WHERE name = :name")
    Optional<UserRow> findByName(String name);

    @SqlQuery("SELECT * FROM users WHERE oidc_subject = :subject")
    Optional<UserRow> findBySubject(String subject);

    @SqlQuery("SELECT * FROM users WHERE name > :after ORDER BY name LIMIT :limit")
    List<UserRow> page(String after, int limit);

    @SqlUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
    int setPassword(String id, String hash);

    @SqlUpdate("UPDATE users SET disabled_at = :now WHERE id = :id AND disabled_at IS NULL")
    int disable(String id, long now);
}
