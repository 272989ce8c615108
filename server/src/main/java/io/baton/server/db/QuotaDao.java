package io.baton.server.db;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Quotas of users and projects, projects' fair shares, and what runs now against them. */
@RegisterConstructorMapper(QuotaRow.class)
public interface QuotaDao {
    @SqlQuery("SELECT * FROM quotas WHERE kind = :kind AND name = :name")
    Optional<QuotaRow> find(String kind, String name);

    @SqlQuery("SELECT * FROM quotas ORDER BY kind, name")
    List<QuotaRow> all();

    @SqlUpdate("DELETE FROM quotas WHERE kind = :kind AND name = :name")
    int delete(String kind, String name);

    @SqlUpdate("INSERT INTO quotas (kind, name, max_steps, max_gpus, share, set_by, set_at)"
            + " VALUES (:kind, :name, :maxSteps, :maxGpus, :share, :setBy, :setAt)")
    void insert(@BindMethods QuotaRow quota);

    /**
     * The caps that apply to a run's attempts: its submitter's and its project's, when either caps something; project
     * first, the order in which {@link #lock} takes them.
     */
    @SqlQuery("SELECT q.* FROM runs r JOIN quotas q ON (q.kind = 'USER' AND q.name = r.created_by)"
            + " OR (q.kind = 'PROJECT' AND q.name = r.project)"
            + " WHERE r.id = :runId AND (q.max_steps IS NOT NULL OR q.max_gpus IS NOT NULL) ORDER BY q.kind")
    List<QuotaRow> capsOfRun(String runId);

    /**
     * Takes the quota's row lock until the transaction ends: attempt starts under the same quota wait for each other,
     * on every server, so that two cannot both see the last free unit.
     */
    @SqlQuery("SELECT * FROM quotas WHERE kind = :kind AND name = :name FOR UPDATE")
    Optional<QuotaRow> lock(String kind, String name);

    /** A project's share of its pools' fair queues (1 when none was set). */
    @SqlQuery("SELECT share FROM quotas WHERE kind = 'PROJECT' AND name = :project")
    Optional<Double> share(String project);

    /** Steps and GPUs of a user's runs running now, but for {@code step} of {@code runId} (an earlier attempt of it). */
    @SqlQuery("SELECT COUNT(*) AS steps, COALESCE(SUM(a.gpus), 0) AS gpus FROM attempts a"
            + " JOIN runs r ON r.id = a.run_id WHERE a.status = 'RUNNING' AND r.created_by = :user"
            + " AND r.status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
            + " AND NOT (a.run_id = :runId AND a.step = :step)")
    @RegisterConstructorMapper(Usage.class)
    Usage usageOfUser(String user, String runId, String step);

    /** The same for a project's runs. */
    @SqlQuery("SELECT COUNT(*) AS steps, COALESCE(SUM(a.gpus), 0) AS gpus FROM attempts a"
            + " JOIN runs r ON r.id = a.run_id WHERE a.status = 'RUNNING' AND r.project = :project"
            + " AND r.status NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
            + " AND NOT (a.run_id = :runId AND a.step = :step)")
    @RegisterConstructorMapper(Usage.class)
    Usage usageOfProject(String project, String runId, String step);

    /** The GPUs a starting attempt holds. */
    @SqlUpdate("UPDATE attempts SET gpus = :gpus WHERE run_id = :runId AND step = :step AND number = :number")
    void holdGpus(String runId, String step, int number, int gpus);

    /** What runs at once under a quota. */
    record Usage(int steps, int gpus) {}
}
