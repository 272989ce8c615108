package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Aliases of model versions and every move of each, kept for good. */
@RegisterConstructorMapper(ModelAliasRow.class)
@RegisterConstructorMapper(AliasMoveRow.class)
public interface ModelAliasDao {
    @SqlQuery("SELECT * FROM model_aliases WHERE project = :project AND model = :model AND alias = :alias")
    Optional<ModelAliasRow> find(String project, String model, String alias);

    @SqlQuery("SELECT * FROM model_aliases WHERE project = :project AND model = :model ORDER BY alias")
    List<ModelAliasRow> ofModel(String project, String model);

    @SqlQuery("SELECT * FROM model_aliases WHERE project = :project AND model = :model AND version IN (<versions>)"
            + " ORDER BY alias")
    List<ModelAliasRow> ofVersions(String project, String model, @BindList("versions") List<Integer> versions);

    @SqlUpdate("INSERT INTO model_aliases (project, model, alias, version, moved_by, moved_by_id, moved_at)"
            + " VALUES (:project, :model, :alias, :version, :movedBy, :movedById, :now)")
    void insert(String project, String model, String alias, int version, String movedBy, String movedById, long now);

    @SqlUpdate("UPDATE model_aliases SET version = :version, moved_by = :movedBy, moved_by_id = :movedById,"
            + " moved_at = :now WHERE project = :project AND model = :model AND alias = :alias")
    void move(String project, String model, String alias, int version, String movedBy, String movedById, long now);

    @SqlUpdate("DELETE FROM model_aliases WHERE project = :project AND model = :model AND alias = :alias")
    void delete(String project, String model, String alias);

    @SqlQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM model_alias_moves WHERE project = :project AND model = :model"
            + " AND alias = :alias")
    int nextMove(String project, String model, String alias);

    @SqlUpdate("INSERT INTO model_alias_moves (project, model, alias, seq, from_version, to_version, moved_by,"
            + " moved_by_id, moved_at) VALUES (:project, :model, :alias, :seq, :fromVersion, :toVersion, :movedBy,"
            + " :movedById, :now)")
    void insertMove(
            String project,
            String model,
            String alias,
            int seq,
            Integer fromVersion,
            Integer toVersion,
            String movedBy,
            String movedById,
            long now);

    /** Moves newest first, below {@code before}. */
    @SqlQuery("SELECT * FROM model_alias_moves WHERE project = :project AND model = :model AND alias = :alias"
            + " AND seq < :before ORDER BY seq DESC LIMIT :n")
    List<AliasMoveRow> movesBefore(String project, String model, String alias, int before, int n);
}
