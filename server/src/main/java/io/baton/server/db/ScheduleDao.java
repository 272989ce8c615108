package io.baton.server.db;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Schedules, each named within its project. */
@RegisterConstructorMapper(ScheduleRow.class)
@RegisterConstructorMapper(ScheduleDao.ScheduledRun.class)
public interface ScheduleDao {
    /** A run a schedule started, as its view lists it. */
    record ScheduledRun(String id, String triggerInfo, String status) {}

    @SqlUpdate("INSERT INTO schedules (id, project, name, pipeline, pipeline_version, bundle, parameters, cron,"
            + " every_spec, on_dataset, timezone, jitter, overlap, catchup_window, note, created_by, created_by_id,"
            + " created_at, updated_at, last_dataset_version) VALUES (:id, :project, :name, :pipeline,"
            + " :pipelineVersion, :bundle, :parameters, :cron, :everySpec, :onDataset, :timezone, :jitter, :overlap,"
            + " :catchupWindow, :note, :createdBy, :createdById, :createdAt, :updatedAt, :lastDatasetVersion)")
    void insert(@BindMethods ScheduleRow row);

    /** The definition's fields (not its owner, creation or dataset progress). */
    @SqlUpdate("UPDATE schedules SET pipeline = :pipeline, pipeline_version = :pipelineVersion, bundle = :bundle,"
            + " parameters = :parameters, cron = :cron, every_spec = :everySpec, on_dataset = :onDataset,"
            + " timezone = :timezone, jitter = :jitter, overlap = :overlap, catchup_window = :catchupWindow,"
            + " note = :note, updated_at = :updatedAt WHERE id = :id")
    int update(@BindMethods ScheduleRow row);

    @SqlQuery("SELECT * FROM schedules WHERE id = :id")
    Optional<ScheduleRow> find(String id);

    @SqlQuery("SELECT * FROM schedules WHERE project = :project AND name = :name")
    Optional<ScheduleRow> find(String project, String name);

    @SqlQuery("SELECT * FROM schedules ORDER BY project, name")
    List<ScheduleRow> all();

    @SqlQuery("SELECT * FROM schedules WHERE project IN (<projects>) ORDER BY project, name")
    List<ScheduleRow> ofProjects(@BindList("projects") List<String> projects);

    /** The data triggers of a dataset ({@code project/name}). */
    @SqlQuery("SELECT * FROM schedules WHERE on_dataset = :dataset")
    List<ScheduleRow> onDataset(String dataset);

    @SqlUpdate("DELETE FROM schedules WHERE id = :id")
    int delete(String id);

    @SqlUpdate("UPDATE schedules SET note = :note, updated_at = :now WHERE id = :id")
    int setNote(String id, String note, long now);

    /** Moves the last dataset version a trigger handled forward, never back. */
    @SqlUpdate("UPDATE schedules SET last_dataset_version = :version WHERE id = :id"
            + " AND (last_dataset_version IS NULL OR last_dataset_version < :version)")
    int datasetVersionHandled(String id, int version);

    /** Why the last fire recorded no run; null once a fire records one. */
    @SqlUpdate("UPDATE schedules SET last_problem = :problem, last_problem_at = :now WHERE id = :id")
    int problem(String id, String problem, Long now);

    @SqlQuery("SELECT id, trigger_info, status FROM runs WHERE schedule_id = :scheduleId ORDER BY id DESC"
            + " LIMIT :limit")
    List<ScheduledRun> recentRuns(String scheduleId, int limit);

    /** The trigger of a schedule's run (JSON text); null for any other run. */
    @SqlQuery("SELECT trigger_info FROM runs WHERE id = :runId")
    String triggerInfo(String runId);

    /** The triggers of those of {@code runIds} that a schedule started (the others have none). */
    @SqlQuery("SELECT id, trigger_info FROM runs WHERE id IN (<runIds>) AND trigger_info IS NOT NULL")
    @KeyColumn("id")
    @ValueColumn("trigger_info")
    Map<String, String> triggerInfos(@BindList("runIds") List<String> runIds);

    /** Marks a just-recorded run as a schedule's (same transaction as its insert). */
    @SqlUpdate("UPDATE runs SET schedule_id = :scheduleId, trigger_info = :triggerInfo WHERE id = :runId")
    int markScheduled(String runId, String scheduleId, String triggerInfo);
}
