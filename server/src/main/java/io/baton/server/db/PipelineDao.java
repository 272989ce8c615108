package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Registered pipelines: each new content of a pipeline is a new version. */
@RegisterConstructorMapper(PipelineVersionRow.class)
public interface PipelineDao {
    @SqlUpdate("INSERT INTO pipeline_versions (project, name, version, spec, spec_sha256, created_by, created_at)"
            + " VALUES (:project, :name, :version, :spec, :specSha256, :createdBy, :createdAt)")
    void insert(@BindMethods PipelineVersionRow row);

    @SqlQuery("SELECT * FROM pipeline_versions WHERE project = :project AND name = :name AND spec_sha256 = :sha")
    Optional<PipelineVersionRow> findByContent(String project, String name, @Bind("sha") String sha256);

    @SqlQuery("SELECT * FROM pipeline_versions WHERE project = :project AND name = :name AND version = :version")
    Optional<PipelineVersionRow> find(String project, String name, int version);

    @SqlQuery("SELECT * FROM pipeline_versions WHERE project = :project AND name = :name ORDER BY version DESC LIMIT 1")
    Optional<PipelineVersionRow> latest(String project, String name);

    @SqlQuery("SELECT * FROM pipeline_versions WHERE project = :project AND name = :name ORDER BY version DESC")
    List<PipelineVersionRow> versions(String project, String name);

    /** The latest version of every pipeline of a project. */
    @SqlQuery("SELECT p.* FROM pipeline_versions p WHERE p.project = :project AND p.version = (SELECT MAX(q.version)"
            + " FROM pipeline_versions q WHERE q.project = p.project AND q.name = p.name) ORDER BY p.name")
    List<PipelineVersionRow> latestOfProject(String project);
}
