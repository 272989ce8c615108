package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** What lineage reads of the artifacts steps produced and the inputs steps read ({@code step_inputs}). */
@RegisterConstructorMapper(LineageDao.Production.class)
@RegisterConstructorMapper(LineageDao.StepInput.class)
public interface LineageDao {
    /** An artifact as a step produced it, with its run's project. */
    record Production(String runId, String step, int attempt, String path, long createdAt, String project) {}

    /** A file a step read, and where it came from ({@code step:<name>}, {@code dataset:<name>/<v>}, ...). */
    record StepInput(
            String runId,
            String step,
            String inputName,
            String producer,
            String path,
            String sha256,
            String source,
            String project) {}

    @SqlQuery("SELECT a.run_id, a.step, a.attempt, a.path, a.created_at, r.project FROM artifacts a"
            + " JOIN runs r ON r.id = a.run_id WHERE a.sha256 = :sha ORDER BY a.created_at, a.run_id LIMIT :limit")
    List<Production> producedBy(@Bind("sha") String sha256, int limit);

    /** The first step that produced a blob (its project is not read). */
    @SqlQuery("SELECT run_id, step, attempt, path, created_at, NULL AS project FROM artifacts WHERE sha256 = :sha"
            + " ORDER BY created_at LIMIT 1")
    Optional<Production> firstProducer(@Bind("sha") String sha256);

    @SqlQuery("SELECT i.run_id, i.step, i.input_name, i.producer, i.path, i.sha256, i.source, r.project"
            + " FROM step_inputs i JOIN runs r ON r.id = i.run_id WHERE i.sha256 = :sha ORDER BY i.run_id, i.step"
            + " LIMIT :limit")
    List<StepInput> usedBy(@Bind("sha") String sha256, int limit);

    @SqlQuery("SELECT run_id, step, input_name, producer, path, sha256, source, NULL AS project FROM step_inputs"
            + " WHERE run_id = :run AND step = :step ORDER BY input_name, path")
    List<StepInput> inputsOf(@Bind("run") String runId, String step);

    /** The runs whose code bundle is this blob, with their projects. */
    @SqlQuery("SELECT id AS run_id, project FROM runs WHERE bundle = :sha ORDER BY id LIMIT :limit")
    @RegisterConstructorMapper(RunInProject.class)
    List<RunInProject> bundleOf(@Bind("sha") String sha256, int limit);

    /** A run and its project. */
    record RunInProject(String runId, String project) {}
}
