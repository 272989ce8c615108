package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** API tokens, found by the sha256 of their secret. */
@RegisterConstructorMapper(TokenRow.class)
public interface TokenDao {
  @SqlUpdate("INSERT INTO tokens (id, name, kind, admin, secret_sha256, created_by, created_at, expires_at)"
      + " VALUES (:id, :name, :kind, :admin, :secretSha256, :createdBy, :createdAt, :expiresAt)")
  void insert(@BindMethods TokenRow token);

  @SqlQuery("SELECT * FROM tokens WHERE secret_sha256 = :hash")
  Optional<TokenRow> findBySecret(@Bind("hash") String hash);

  @SqlQuery("SELECT * FROM tokens WHERE revoked_at IS NULL ORDER BY id DESC")
  List<TokenRow> active();

  @SqlQuery("SELECT * FROM tokens WHERE id = :id")
  Optional<TokenRow> find(@Bind("id") String id);

  @SqlUpdate("UPDATE tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
  int revoke(@Bind("id") String id, @Bind("now") long now);

  @SqlUpdate("UPDATE tokens SET revoked_at = :now WHERE name = :name AND kind = :kind AND revoked_at IS NULL")
  int revokeByName(@Bind("name") String name, @Bind("kind") String kind, @Bind("now") long now);
}
