package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Project secrets, sealed (see {@code io.baton.server.secrets.SecretCipher}). */
@RegisterConstructorMapper(SecretRow.class)
public interface SecretDao {
    @SqlUpdate("INSERT INTO secrets (project, name, ciphertext, key_id, created_by, created_by_id, created_at,"
            + " updated_by, updated_by_id, updated_at) VALUES (:project, :name, :ciphertext, :keyId, :createdBy,"
            + " :createdById, :createdAt, :updatedBy, :updatedById, :updatedAt)")
    void insert(@BindMethods SecretRow secret);

    @SqlUpdate("UPDATE secrets SET ciphertext = :ciphertext, key_id = :keyId, updated_by = :updatedBy,"
            + " updated_by_id = :updatedById, updated_at = :updatedAt WHERE project = :project AND name = :name")
    int update(@BindMethods SecretRow secret);

    @SqlQuery("SELECT * FROM secrets WHERE project = :project AND name = :name FOR UPDATE")
    Optional<SecretRow> lock(String project, String name);

    @SqlQuery("SELECT * FROM secrets WHERE project = :project ORDER BY name")
    List<SecretRow> ofProject(String project);

    @SqlQuery("SELECT * FROM secrets WHERE project = :project AND name IN (<names>)")
    List<SecretRow> named(String project, @BindList("names") List<String> names);

    @SqlUpdate("DELETE FROM secrets WHERE project = :project AND name = :name")
    int delete(String project, String name);
}
