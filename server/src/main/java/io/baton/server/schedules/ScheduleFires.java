package io.baton.server.schedules;

import io.baton.pipeline.InputReference;
import io.baton.server.api.RunSubmission;
import io.baton.server.auth.Caller;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.db.RunRow;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.ScheduleRow;
import io.baton.server.db.UserDao;
import io.baton.server.db.UserRow;
import io.baton.server.runs.RunPlanner;
import io.baton.server.runs.RunService;
import io.baton.server.temporal.TemporalService;
import io.baton.workflows.RunPlan;
import io.baton.workflows.ScheduleActivities;
import io.baton.workflows.ScheduledFire;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a schedule's fire as a run submitted by the schedule's owner (idempotent by schedule and fire time, or by
 * schedule and dataset version); a fire that cannot record one leaves its reason on the schedule.
 */
public final class ScheduleFires implements ScheduleActivities {
    private static final Logger log = LoggerFactory.getLogger(ScheduleFires.class);
    private final Jdbi jdbi;
    private final RunService runs;
    private final ScheduleChecks checks;
    private final TemporalService temporal;

    public ScheduleFires(Jdbi jdbi, RunService runs, ScheduleChecks checks, TemporalService temporal) {
        this.jdbi = jdbi;
        this.runs = runs;
        this.checks = checks;
        this.temporal = temporal;
    }

    @Override
    public ScheduledFire recordFire(String scheduleId, long scheduledAtMillis) {
        ScheduleDao dao = jdbi.onDemand(ScheduleDao.class);
        Optional<ScheduleRow> found = dao.find(scheduleId);
        if (found.isEmpty()) {
            return refused("schedule " + scheduleId + " was deleted");
        }
        ScheduleRow row = found.get();
        try {
            Caller owner = owner(row);
            String key;
            Map<String, Object> trigger = new LinkedHashMap<>();
            UnaryOperator<RunPlanner.Registry> inputs = UnaryOperator.identity();
            Integer version = null;
            if (row.onDataset() != null) {
                version = checks.latestVersion(row.onDataset());
                if (version == null) {
                    throw BatonException.badRequest("dataset '" + row.onDataset() + "' has no versions (or is gone)");
                }
                key = "dataset:" + row.id() + ":" + version;
                trigger.put("kind", "dataset");
                trigger.put("schedule", row.name());
                trigger.put("dataset", shown(row));
                trigger.put("version", version);
                inputs = pinned(row, version);
            } else {
                key = "schedule:" + row.id() + ":" + scheduledAtMillis;
                trigger.put("kind", "schedule");
                trigger.put("schedule", row.name());
                trigger.put(
                        "scheduledAt", Instant.ofEpochMilli(scheduledAtMillis).toString());
            }
            RunSubmission submission = new RunSubmission(
                    row.project(),
                    null,
                    row.pipeline(),
                    row.pipelineVersion(),
                    row.bundle(),
                    ScheduleChecks.parameters(row.parameters()),
                    null);
            RunRow run = runs.recordScheduled(submission, owner, key, row.id(), Json.write(trigger), inputs);
            if (version != null) {
                dao.datasetVersionHandled(row.id(), version);
            }
            if (row.lastProblem() != null) {
                dao.problem(row.id(), null, null);
            }
            return new ScheduledFire(Json.read(run.plan(), RunPlan.class), null, temporal.searchAttributes());
        } catch (BatonException e) {
            // the owner lost write access, the pipeline is gone, its parameters no longer fit: no run, and why
            String why = e.getMessage().length() > 900 ? e.getMessage().substring(0, 900) : e.getMessage();
            log.warn("schedule {} ({}/{}) recorded no run: {}", row.id(), row.project(), row.name(), why);
            dao.problem(row.id(), why, System.currentTimeMillis());
            return refused(why);
        }
    }

    private ScheduledFire refused(String why) {
        return new ScheduledFire(null, why, false);
    }

    /** The user who created the schedule, as a caller; a 400 when they no longer exist or are disabled. */
    private Caller owner(ScheduleRow row) {
        UserDao users = jdbi.onDemand(UserDao.class);
        Optional<UserRow> user =
                row.createdById() != null ? users.find(row.createdById()) : users.findByName(row.createdBy());
        if (user.isEmpty() || user.get().disabledAt() != null) {
            throw BatonException.badRequest(
                    "the schedule's owner '" + row.createdBy() + "' no longer exists or is disabled");
        }
        UserRow u = user.get();
        return new Caller("schedule:" + row.id(), u.id(), u.name(), Caller.USER, u.admin(), null);
    }

    /** The dataset as the trigger names it: its name in the schedule's project, else {@code project/name}. */
    static String shown(ScheduleRow row) {
        String prefix = row.project() + "/";
        return row.onDataset().startsWith(prefix) ? row.onDataset().substring(prefix.length()) : row.onDataset();
    }

    /** Resolves the triggering dataset's {@code @latest} inputs to the version that fired the trigger. */
    private static UnaryOperator<RunPlanner.Registry> pinned(ScheduleRow row, int version) {
        int slash = row.onDataset().indexOf('/');
        String project = row.onDataset().substring(0, slash);
        String name = row.onDataset().substring(slash + 1);
        return registry -> (reference, text, runProject, submitter) -> {
            String refProject = reference.project() == null ? runProject : reference.project();
            if (reference.kind() == InputReference.Kind.DATASET
                    && reference.version() == null
                    && refProject.equals(project)
                    && reference.name().equals(name)) {
                InputReference exact = new InputReference(
                        reference.kind(),
                        reference.name(),
                        reference.path(),
                        (long) version,
                        null,
                        reference.project());
                return registry.resolve(exact, text, runProject, submitter);
            }
            return registry.resolve(reference, text, runProject, submitter);
        };
    }
}
