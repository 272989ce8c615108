package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Datasets and their versions. */
@RegisterConstructorMapper(DatasetRow.class)
@RegisterConstructorMapper(DatasetVersionRow.class)
public interface DatasetDao {
    @SqlUpdate("INSERT INTO datasets (name, project, description, created_by, created_at)"
            + " VALUES (:name, :project, :description, :user, :now)")
    void insert(String name, String project, String description, String user, long now);

    @SqlQuery("SELECT * FROM datasets WHERE name = :name")
    Optional<DatasetRow> find(String name);

    /** The dataset's row, locked until the transaction ends: versions of one dataset are numbered one at a time. */
    @SqlQuery("SELECT * FROM datasets WHERE name = :name FOR UPDATE")
    Optional<DatasetRow> lock(String name);

    /** Datasets by name after {@code after}; {@code project} null for every project. */
    @SqlQuery("SELECT * FROM datasets WHERE name > :after AND (:project IS NULL OR project = :project)"
            + " ORDER BY name LIMIT :n")
    List<DatasetRow> page(String project, String after, int n);

    @SqlUpdate(
            "INSERT INTO dataset_versions (dataset, version, content_sha256, source_run, source_step, description,"
                    + " created_by, created_at) VALUES (:name, :version, :contentSha256, :run, :step, :description, :user, :now)")
    void insertVersion(
            String name,
            int version,
            String contentSha256,
            String run,
            String step,
            String description,
            String user,
            long now);

    /** The version that holds exactly these files ({@code content_sha256}), if any. */
    @SqlQuery("SELECT version FROM dataset_versions WHERE dataset = :name AND content_sha256 = :contentSha256")
    Optional<Integer> versionWithContent(String name, String contentSha256);

    @SqlQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM dataset_versions WHERE dataset = :name")
    int nextVersion(String name);

    @SqlQuery("SELECT MAX(version) FROM dataset_versions WHERE dataset = :name")
    Optional<Integer> latestVersion(String name);

    @SqlQuery("SELECT * FROM dataset_versions WHERE dataset = :name AND version = :version")
    Optional<DatasetVersionRow> findVersion(String name, int version);

    /** Versions newest first, below {@code before}. */
    @SqlQuery("SELECT * FROM dataset_versions WHERE dataset = :name AND version < :before ORDER BY version DESC"
            + " LIMIT :n")
    List<DatasetVersionRow> versionsBefore(String name, int before, int n);
}
