package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Datasets and their versions, each named within its project. */
@RegisterConstructorMapper(DatasetRow.class)
@RegisterConstructorMapper(DatasetVersionRow.class)
public interface DatasetDao {
    @SqlUpdate("INSERT INTO datasets (project, name, description, created_by, created_by_id, created_at)"
            + " VALUES (:project, :name, :description, :user, :userId, :now)")
    void insert(String project, String name, String description, String user, String userId, long now);

    @SqlQuery("SELECT * FROM datasets WHERE project = :project AND name = :name")
    Optional<DatasetRow> find(String project, String name);

    /** The dataset's row, locked until the transaction ends: versions of one dataset are numbered one at a time. */
    @SqlQuery("SELECT * FROM datasets WHERE project = :project AND name = :name FOR UPDATE")
    Optional<DatasetRow> lock(String project, String name);

    /** Datasets of every project by project and name, after ({@code project}, {@code name}). */
    @SqlQuery("SELECT * FROM datasets WHERE project > :project OR (project = :project AND name > :name)"
            + " ORDER BY project, name LIMIT :n")
    List<DatasetRow> page(String project, String name, int n);

    /** As {@link #page}, in {@code projects} only (not empty). */
    @SqlQuery("SELECT * FROM datasets WHERE project IN (<projects>) AND (project > :project OR (project = :project"
            + " AND name > :name)) ORDER BY project, name LIMIT :n")
    List<DatasetRow> pageIn(@BindList("projects") List<String> projects, String project, String name, int n);

    @SqlUpdate("INSERT INTO dataset_versions (project, dataset, version, content_sha256, source_run, source_step,"
            + " description, created_by, created_by_id, created_at) VALUES (:project, :name, :version, :contentSha256,"
            + " :run, :step, :description, :user, :userId, :now)")
    void insertVersion(
            String project,
            String name,
            int version,
            String contentSha256,
            String run,
            String step,
            String description,
            String user,
            String userId,
            long now);

    /** The version that holds exactly these files ({@code content_sha256}), if any. */
    @SqlQuery("SELECT version FROM dataset_versions WHERE project = :project AND dataset = :name"
            + " AND content_sha256 = :contentSha256 FOR UPDATE")
    Optional<Integer> versionWithContent(String project, String name, String contentSha256);

    /** The newest version number by a locking read: it sees versions committed since the transaction's snapshot. */
    @SqlQuery("SELECT version FROM dataset_versions WHERE project = :project AND dataset = :name"
            + " ORDER BY version DESC LIMIT 1 FOR UPDATE")
    Optional<Integer> newestVersionLocked(String project, String name);

    default int nextVersion(String project, String name) {
        return newestVersionLocked(project, name).orElse(0) + 1;
    }

    @SqlQuery("SELECT MAX(version) FROM dataset_versions WHERE project = :project AND dataset = :name")
    Optional<Integer> latestVersion(String project, String name);

    @SqlQuery("SELECT * FROM dataset_versions WHERE project = :project AND dataset = :name AND version = :version")
    Optional<DatasetVersionRow> findVersion(String project, String name, int version);

    /** Versions newest first, below {@code before}. */
    @SqlQuery("SELECT * FROM dataset_versions WHERE project = :project AND dataset = :name AND version < :before"
            + " ORDER BY version DESC LIMIT :n")
    List<DatasetVersionRow> versionsBefore(String project, String name, int before, int n);
}
