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
    @SqlUpdate("INSERT INTO models (name, project, description, tags, created_by, created_at, updated_at)"
            + " VALUES (:name, :project, :description, :tags, :user, :now, :now)")
    void insert(String name, String project, String description, String tags, String user, long now);

    @SqlUpdate("UPDATE models SET description = :description, tags = :tags, updated_at = :now WHERE name = :name")
    void update(String name, String description, String tags, long now);

    @SqlUpdate("UPDATE models SET updated_at = :now WHERE name = :name")
    void touch(String name, long now);

    @SqlQuery("SELECT * FROM models WHERE name = :name")
    Optional<ModelRow> find(String name);

    /** The model's row, locked until the transaction ends: writes to one model are serialized by it. */
    @SqlQuery("SELECT * FROM models WHERE name = :name FOR UPDATE")
    Optional<ModelRow> lock(String name);

    /** Models by name after {@code after}; {@code project} null for every project. */
    @SqlQuery("SELECT * FROM models WHERE name > :after AND (:project IS NULL OR project = :project)"
            + " ORDER BY name LIMIT :n")
    List<ModelRow> page(String project, String after, int n);

    /** Every model, or the one named {@code name} when not null. */
    @SqlQuery("SELECT * FROM models WHERE :name IS NULL OR name = :name")
    List<ModelRow> named(String name);

    @SqlUpdate("INSERT INTO model_versions (model, version, content_sha256, source_run, source_step, description,"
            + " tags, status, created_by, created_at) VALUES (:model, :version, :contentSha256, :run, :step, :description,"
            + " :tags, 'PENDING', :user, :now)")
    void insertVersion(
            String model,
            int version,
            String contentSha256,
            String run,
            String step,
            String description,
            String tags,
            String user,
            long now);

    /** The version that holds exactly these files ({@code content_sha256}), if any. */
    @SqlQuery("SELECT version FROM model_versions WHERE model = :model AND content_sha256 = :contentSha256")
    Optional<Integer> versionWithContent(String model, String contentSha256);

    @SqlQuery("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model = :model")
    int nextVersion(String model);

    @SqlQuery("SELECT MAX(version) FROM model_versions WHERE model = :model")
    Optional<Integer> latestVersion(String model);

    @SqlQuery("SELECT * FROM model_versions WHERE model = :model AND version = :version")
    Optional<ModelVersionRow> findVersion(String model, int version);

    /** Versions newest first, below {@code before}. */
    @SqlQuery("SELECT * FROM model_versions WHERE model = :model AND version < :before ORDER BY version DESC LIMIT :n")
    List<ModelVersionRow> versionsBefore(String model, int before, int n);

    @SqlUpdate(
            "UPDATE model_versions SET status = :status, status_by = :statusBy, status_note = :statusNote, status_at = :statusAt,"
                    + " description = :description, tags = :tags WHERE model = :model AND version = :version")
    void updateVersion(
            String model,
            int version,
            String status,
            String statusBy,
            String statusNote,
            Long statusAt,
            String description,
            String tags);

    /** Versions with their model's project, narrowed to a model and/or a source run when not null. */
    @SqlQuery("SELECT v.*, m.project FROM model_versions v JOIN models m ON m.name = v.model"
            + " WHERE (:model IS NULL OR v.model = :model) AND (:run IS NULL OR v.source_run = :run)")
    @RegisterConstructorMapper(VersionInProject.class)
    List<VersionInProject> versionsInProjects(String model, String run);

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
