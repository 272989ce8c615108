package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Registered models and their versions. */
@RegisterConstructorMapper(ModelRow.class)
@RegisterConstructorMapper(ModelVersionRow.class)
public interface ModelDao {
    @SqlUpdate("INSERT INTO models (project, name, description, tags, protected_aliases, created_by, created_by_id,"
            + " created_at, updated_at) VALUES (:project, :name, :description, :tags, :protectedAliases, :user, :userId,"
            + " :now, :now)")
    void insert(
            String project,
            String name,
            String description,
            String tags,
            String protectedAliases,
            String user,
            String userId,
            long now);

    @SqlUpdate("UPDATE models SET description = :description, tags = :tags, protected_aliases = :protectedAliases,"
            + " updated_at = :now WHERE project = :project AND name = :name")
    void update(String project, String name, String description, String tags, String protectedAliases, long now);

    /** Who created a model a run's step registered, once known. */
    @SqlUpdate("UPDATE models SET created_by_id = :userId WHERE project = :project AND name = :name"
            + " AND created_by = :user AND created_by_id IS NULL")
    void setCreatedById(String project, String name, String user, String userId);

    @SqlUpdate("UPDATE models SET updated_at = :now WHERE project = :project AND name = :name")
    void touch(String project, String name, long now);

    @SqlQuery("SELECT * FROM models WHERE project = :project AND name = :name")
    Optional<ModelRow> find(String project, String name);

    /** The model's row, locked until the transaction ends: writes to one model are serialized by it. */
    @SqlQuery("SELECT * FROM models WHERE project = :project AND name = :name FOR UPDATE")
    Optional<ModelRow> lock(String project, String name);

    /** Models of every project by project and name, after ({@code project}, {@code name}). */
    @SqlQuery("SELECT * FROM models WHERE project > :project OR (project = :project AND name > :name)"
            + " ORDER BY project, name LIMIT :n")
    List<ModelRow> page(String project, String name, int n);

    /** As {@link #page}, in {@code projects} only (not empty). */
    @SqlQuery("SELECT * FROM models WHERE project IN (<projects>) AND (project > :project OR (project = :project"
            + " AND name > :name)) ORDER BY project, name LIMIT :n")
    List<ModelRow> pageIn(@BindList("projects") List<String> projects, String project, String name, int n);

    /** Every model of a project, or the one named {@code name} when not null. */
    @SqlQuery("SELECT * FROM models WHERE project = :project AND (:name IS NULL OR name = :name)")
    List<ModelRow> named(String project, String name);

    @SqlUpdate("INSERT INTO model_versions (project, model, version, content_sha256, source_run, source_step,"
            + " description, tags, status, created_by, created_by_id, created_at) VALUES (:project, :model, :version,"
            + " :contentSha256, :run, :step, :description, :tags, 'PENDING', :user, :userId, :now)")
    void insertVersion(
            String project,
            String model,
            int version,
            String contentSha256,
            String run,
            String step,
            String description,
            String tags,
            String user,
            String userId,
            long now);

    /**
     * The version that holds exactly these files ({@code content_sha256}), if any; a locking read, so that it sees
     * what was committed since the transaction's snapshot (the caller holds the model's row lock).
     */
    @SqlQuery("SELECT version FROM model_versions WHERE project = :project AND model = :model"
            + " AND content_sha256 = :contentSha256 FOR UPDATE")
    Optional<Integer> versionWithContent(String project, String model, String contentSha256);

    /**
     * The newest version number, by a locking read (an aggregate cannot be one): a plain read inside a step end's
     * transaction saw MariaDB's older snapshot, and two runs registering at once both took the same number.
     */
    @SqlQuery("SELECT version FROM model_versions WHERE project = :project AND model = :model"
            + " ORDER BY version DESC LIMIT 1 FOR UPDATE")
    Optional<Integer> newestVersionLocked(String project, String model);

    default int nextVersion(String project, String model) {
        return newestVersionLocked(project, model).orElse(0) + 1;
    }

    @SqlQuery("SELECT MAX(version) FROM model_versions WHERE project = :project AND model = :model")
    Optional<Integer> latestVersion(String project, String model);

    @SqlQuery("SELECT * FROM model_versions WHERE project = :project AND model = :model AND version = :version")
    Optional<ModelVersionRow> findVersion(String project, String model, int version);

    /** Versions newest first, below {@code before}. */
    @SqlQuery("SELECT * FROM model_versions WHERE project = :project AND model = :model AND version < :before"
            + " ORDER BY version DESC LIMIT :n")
    List<ModelVersionRow> versionsBefore(String project, String model, int before, int n);

    @SqlUpdate("UPDATE model_versions SET status = :status, status_by = :statusBy, status_by_id = :statusById,"
            + " status_note = :statusNote, status_at = :statusAt, description = :description, tags = :tags"
            + " WHERE project = :project AND model = :model AND version = :version")
    void updateVersion(
            String project,
            String model,
            int version,
            String status,
            String statusBy,
            String statusById,
            String statusNote,
            Long statusAt,
            String description,
            String tags);

    /** Versions of a project's models, narrowed to a model and/or a source run when not null. */
    @SqlQuery("SELECT * FROM model_versions WHERE project = :project AND (:model IS NULL OR model = :model)"
            + " AND (:run IS NULL OR source_run = :run)")
    @RegisterConstructorMapper(VersionInProject.class)
    List<VersionInProject> versionsInProject(String project, String model, String run);

    /** A version and the project of its model. */
    record VersionInProject(
            String model,
            int version,
            String sourceRun,
            String sourceStep,
            String tags,
            String status,
            Long statusAt,
            long createdAt,
            String project) {}

    /** The metrics of the runs that versions come from, by name. */
    @SqlQuery("SELECT run_id, name, metric_value FROM run_metrics WHERE run_id IN (<runs>) ORDER BY name")
    @RegisterConstructorMapper(SourceMetric.class)
    List<SourceMetric> sourceMetrics(@BindList("runs") List<String> runs);

    /** A metric of a version's source run. */
    record SourceMetric(String runId, String name, double metricValue) {}
}
