package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Aliases of model versions and every move of each, kept for good. */
@RegisterConstructorMapper(ModelAliasRow.class)
@RegisterConstructorMapper(AliasMoveRow.class)
public interface ModelAliasDao {
    @SqlQuery("SELECT * FROM model_aliases WHERE model = :model AND alias = :alias")
    Optional<ModelAliasRow> find(@Bind("model") String model, @Bind("alias") String alias);

    @SqlQuery("SELECT * FROM model_aliases WHERE model = :model ORDER BY alias")
    List<ModelAliasRow> ofModel(@Bind("model") String model);

    @SqlQuery("SELECT * FROM model_aliases WHERE model = :model AND version IN (<versions>) ORDER BY alias")
    List<ModelAliasRow> ofVersions(@Bind("model") String model, @BindList("versions") List<Integer> versions);

    @SqlUpdate("INSERT INTO model_aliases (model, alias, version, moved_by, moved_at)"
            + " VALUES (:model, :alias, :version, :by, :now)")
    void insert(
            @Bind("model") String model,
            @Bind("alias") String alias,
            @Bind("version") int version,
            @Bind("by") String movedBy,
            @Bind("now") long now);

    @SqlUpdate("UPDATE model_aliases SET version = :version, moved_by = :by, moved_at = :now"
            + " WHERE model = :model AND alias = :alias")
    void move(
            @Bind("model") String model,
            @Bind("alias") String alias,
            @Bind("version") int version,
            @Bind("by") String movedBy,
            @Bind("now") long now);

    @SqlUpdate("DELETE FROM model_aliases WHERE model = :model AND alias = :alias")
    void delete(@Bind("model") String model, @Bind("alias") String alias);

    @SqlQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM model_alias_moves WHERE model = :model AND alias = :alias")
    int nextMove(@Bind("model") String model, @Bind("alias") String alias);

    @SqlUpdate("INSERT INTO model_alias_moves (model, alias, seq, from_version, to_version, moved_by, moved_at)"
            + " VALUES (:model, :alias, :seq, :from, :to, :by, :now)")
    void insertMove(
            @Bind("model") String model,
            @Bind("alias") String alias,
            @Bind("seq") int seq,
            @Bind("from") Integer fromVersion,
            @Bind("to") Integer toVersion,
            @Bind("by") String movedBy,
            @Bind("now") long now);

    /** Moves newest first, below {@code before}. */
    @SqlQuery("SELECT * FROM model_alias_moves WHERE model = :model AND alias = :alias AND seq < :before"
            + " ORDER BY seq DESC LIMIT :n")
    List<AliasMoveRow> movesBefore(
            @Bind("model") String model, @Bind("alias") String alias, @Bind("before") int before, @Bind("n") int n);
}
