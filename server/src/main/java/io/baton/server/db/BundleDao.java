package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Uploaded code bundles (their bytes are in the blob store). */
@RegisterConstructorMapper(BundleRow.class)
public interface BundleDao {
    @SqlQuery("SELECT * FROM bundles WHERE sha256 = :sha256")
    Optional<BundleRow> find(String sha256);

    @SqlUpdate("INSERT INTO bundles (sha256, size_bytes, files, created_by, created_at) VALUES (:sha256, :sizeBytes,"
            + " :files, :createdBy, :createdAt)")
    void insert(@BindMethods BundleRow bundle);

    @SqlUpdate("INSERT INTO bundle_projects (sha256, project, created_by, created_at) SELECT :sha256, :project,"
            + " :createdBy, :now FROM bundles WHERE sha256 = :sha256 AND NOT EXISTS (SELECT 1 FROM bundle_projects"
            + " WHERE sha256 = :sha256 AND project = :project)")
    int addToProject(String sha256, String project, String createdBy, long now);

    @SqlQuery("SELECT project FROM bundle_projects WHERE sha256 = :sha256 ORDER BY project")
    List<String> projects(String sha256);

    /**
     * The projects that hold a blob: as a bundle, a run's output or staged input, or a file of a dataset or model
     * version.
     */
    @SqlQuery("SELECT project FROM bundle_projects WHERE sha256 = :sha256"
            + " UNION SELECT r.project FROM artifacts a JOIN runs r ON r.id = a.run_id WHERE a.sha256 = :sha256"
            + " UNION SELECT r.project FROM step_inputs i JOIN runs r ON r.id = i.run_id WHERE i.sha256 = :sha256"
            + " UNION SELECT d.project FROM registry_files f JOIN datasets d ON f.kind = 'DATASET' AND d.name = f.name"
            + " WHERE f.sha256 = :sha256"
            + " UNION SELECT m.project FROM registry_files f JOIN models m ON f.kind = 'MODEL' AND m.name = f.name"
            + " WHERE f.sha256 = :sha256")
    List<String> projectsHolding(String sha256);
}
