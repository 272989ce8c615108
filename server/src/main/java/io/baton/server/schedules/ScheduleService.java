package io.baton.server.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.pipeline.Durations;
import io.baton.server.access.Access;
import io.baton.server.access.Permission;
import io.baton.server.api.Page;
import io.baton.server.api.RunView;
import io.baton.server.api.ScheduleRequest;
import io.baton.server.api.ScheduleView;
import io.baton.server.auth.Caller;
import io.baton.server.core.AuditNote;
import io.baton.server.core.BatonException;
import io.baton.server.core.Ids;
import io.baton.server.core.Instants;
import io.baton.server.core.Json;
import io.baton.server.core.Projects;
import io.baton.server.db.ScheduleDao;
import io.baton.server.db.ScheduleRow;
import io.baton.server.runs.RunQueries;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules: each a row (its definition) and a Temporal Schedule (its timing, paused state and fires), written in
 * that order and undone together, so that nothing is left half-written (docs/schedules.md).
 */
public final class ScheduleService {
    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);
    private static final int RECENT_RUNS = 10;
    private static final int MAX_BACKFILL_FIRES = 1000;
    private static final Duration TRIGGER_WAIT = Duration.ofSeconds(15);

    private final Jdbi jdbi;
    private final Access access;
    private final ScheduleChecks checks;
    private final TemporalSchedules temporal;
    private final RunQueries runs;

    public ScheduleService(
            Jdbi jdbi, Access access, ScheduleChecks checks, TemporalSchedules temporal, RunQueries runs) {
        this.jdbi = jdbi;
        this.access = access;
        this.checks = checks;
        this.temporal = temporal;
        this.runs = runs;
    }

    public ScheduleView create(ScheduleRequest request, Caller caller) {
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with 'name', 'pipeline' and one of 'cron',"
                    + " 'every' and 'onDataset'");
        }
        String project = Projects.check(request.project());
        access.require(caller, project, Permission.WRITE);
        ScheduleChecks.name(request.name());
        long now = System.currentTimeMillis();
        ScheduleRow row = checks.row(request, project, null, Ids.newId(), caller, now);
        if (row.onDataset() != null) { // a trigger fires for versions created from now on
            row = withDatasetVersion(row, checks.latestVersion(row.onDataset()));
        }
        ScheduleDao dao = jdbi.onDemand(ScheduleDao.class);
        if (dao.find(project, row.name()).isPresent()) {
            throw exists(project, row.name());
        }
        try {
            dao.insert(row);
        } catch (UnableToExecuteStatementException e) {
            if (dao.find(project, row.name()).isPresent()) {
                throw exists(project, row.name());
            }
            throw e;
        }
        try {
            temporal.create(row, Boolean.TRUE.equals(request.paused()), request.note());
        } catch (RuntimeException e) {
            dao.delete(row.id()); // nothing half-written: no row without its Temporal schedule
            throw e;
        }
        AuditNote.object("schedule", project + "/" + row.name());
        AuditNote.detail("created: " + kind(row));
        return view(row);
    }

    public Page<ScheduleView> list(String project, Caller caller) {
        List<ScheduleRow> rows;
        if (project != null) {
            String p = Projects.check(project);
            access.require(caller, p, Permission.READ);
            rows = jdbi.onDemand(ScheduleDao.class).ofProjects(List.of(p));
        } else {
            Optional<List<String>> readable = access.readable(caller);
            rows = readable.isEmpty()
                    ? jdbi.onDemand(ScheduleDao.class).all()
                    : readable.get().isEmpty()
                            ? List.of()
                            : jdbi.onDemand(ScheduleDao.class).ofProjects(readable.get());
        }
        return new Page<>(rows.stream().map(this::view).toList(), null);
    }

    public ScheduleView get(String project, String name, Caller caller) {
        return view(require(project, name, caller, Permission.READ));
    }

    public ScheduleView update(String project, String name, ScheduleRequest request, Caller caller) {
        ScheduleRow before = require(project, name, caller, Permission.WRITE);
        if (request == null) {
            throw BatonException.badRequest("the body must be a JSON object with the fields to change");
        }
        if (request.name() != null && !request.name().equals(before.name())) {
            throw BatonException.badRequest("a schedule's 'name' cannot change; create a new one and delete this one");
        }
        if (request.project() != null && !request.project().equals(before.project())) {
            throw BatonException.badRequest("a schedule's 'project' cannot change");
        }
        ScheduleRow row =
                checks.row(request, before.project(), before, before.id(), caller, System.currentTimeMillis());
        if (row.onDataset() != null && !row.onDataset().equals(before.onDataset())) {
            row = withDatasetVersion(row, checks.latestVersion(row.onDataset()));
        }
        ScheduleDao dao = jdbi.onDemand(ScheduleDao.class);
        dao.update(row);
        try {
            temporal.update(row, request.paused());
        } catch (RuntimeException e) {
            dao.update(before);
            throw e;
        }
        AuditNote.object("schedule", before.project() + "/" + name);
        AuditNote.detail("updated: " + kind(row));
        return view(dao.find(row.id()).orElse(row));
    }

    public void delete(String project, String name, Caller caller) {
        ScheduleRow row = require(project, name, caller, Permission.WRITE);
        jdbi.onDemand(ScheduleDao.class).delete(row.id());
        AuditNote.object("schedule", row.project() + "/" + name);
        try {
            temporal.delete(row.id());
        } catch (RuntimeException e) { // the reconciler deletes a Temporal schedule that has no row
            log.warn("cannot delete the Temporal schedule of {} now ({}); the reconciler will", name, e.getMessage());
        }
    }

    public ScheduleView pause(String project, String name, String note, boolean pause, Caller caller) {
        ScheduleRow row = require(project, name, caller, Permission.WRITE);
        if (note != null && note.length() > 1000) {
            throw BatonException.badRequest("'note' is longer than 1000 characters");
        }
        if (pause) {
            temporal.pause(row.id(), note);
        } else {
            temporal.unpause(row.id(), note);
        }
        if (note != null) {
            jdbi.onDemand(ScheduleDao.class).setNote(row.id(), note, System.currentTimeMillis());
        }
        AuditNote.object("schedule", row.project() + "/" + name);
        AuditNote.detail(pause ? "paused" : "unpaused");
        return view(jdbi.onDemand(ScheduleDao.class).find(row.id()).orElse(row));
    }

    /**
     * Fires the schedule once now (overlap allowAll, so that a running run does not swallow it) and waits a while for
     * its run: the run, or empty when it has not appeared yet; a 409 when the fire recorded none (and why).
     */
    public Optional<RunView> trigger(String project, String name, Caller caller) throws InterruptedException {
        ScheduleRow row = require(project, name, caller, Permission.WRITE);
        checks.pipelineExists(row);
        long since = System.currentTimeMillis();
        AuditNote.object("schedule", row.project() + "/" + name);
        AuditNote.detail("triggered");
        temporal.trigger(row.id(), "allowAll");
        long deadline = since + TRIGGER_WAIT.toMillis();
        ScheduleDao dao = jdbi.onDemand(ScheduleDao.class);
        while (System.currentTimeMillis() < deadline) {
            for (ScheduleDao.ScheduledRun run : dao.recentRuns(row.id(), 5)) {
                RunView view = runs.run(run.id());
                Instant at = scheduledAt(run);
                if ((at != null && at.toEpochMilli() >= since - 1000)
                        || view.createdAt().toEpochMilli() >= since) {
                    return Optional.of(view);
                }
            }
            ScheduleRow now = dao.find(row.id()).orElse(row);
            if (now.lastProblemAt() != null && now.lastProblemAt() >= since) {
                throw BatonException.conflict("the schedule fired but recorded no run: " + now.lastProblem());
            }
            Thread.sleep(100);
        }
        return Optional.empty();
    }

    /** Asks Temporal for the fires of [from, to) by the schedule's overlap policy; answers how many that is. */
    public long backfill(String project, String name, String from, String to, Caller caller) {
        ScheduleRow row = require(project, name, caller, Permission.WRITE);
        Instant start = Instants.parse("from", from);
        Instant end = Instants.parse("to", to);
        if (start == null || end == null || !start.isBefore(end)) {
            throw BatonException.badRequest("'from' and 'to' are required ISO-8601 instants with from < to, e.g."
                    + " {\"from\": \"2026-12-01T00:00:00Z\", \"to\": \"2026-12-02T00:00:00Z\"}");
        }
        if (row.onDataset() != null) {
            throw BatonException.badRequest("a data trigger has no fire times to backfill; trigger it instead");
        }
        long fires = row.everySpec() != null
                ? Duration.between(start, end).toMillis()
                        / Math.max(1, Durations.parse(row.everySpec()).toMillis())
                : CronExpressions.fires(
                        row.cron(),
                        ZoneId.of(row.timezone() == null ? "UTC" : row.timezone()),
                        start,
                        end,
                        MAX_BACKFILL_FIRES);
        if (fires > MAX_BACKFILL_FIRES) {
            throw BatonException.badRequest("the range holds up to " + fires + " fires; a backfill takes at most "
                    + MAX_BACKFILL_FIRES + " (split it)");
        }
        AuditNote.object("schedule", row.project() + "/" + name);
        AuditNote.detail("backfill " + start + " to " + end);
        temporal.backfill(row.id(), start, end, row.overlap());
        return fires;
    }

    private ScheduleRow require(String project, String name, Caller caller, Permission permission) {
        String p = Projects.check(project);
        access.require(caller, p, permission, () -> notFound(p, name));
        return jdbi.onDemand(ScheduleDao.class).find(p, name).orElseThrow(() -> notFound(p, name));
    }

    private static BatonException notFound(String project, String name) {
        return BatonException.notFound("no schedule named '" + ScheduleChecks.abbreviate(String.valueOf(name))
                + "' in project '" + project + "'");
    }

    private static BatonException exists(String project, String name) {
        return BatonException.conflict("a schedule named '" + name + "' exists already in project '" + project
                + "'; change it with PUT /api/v1/schedules/" + name + "?project=" + project);
    }

    private static String kind(ScheduleRow row) {
        return row.cron() != null
                ? "cron " + row.cron()
                : row.everySpec() != null ? "every " + row.everySpec() : "on dataset " + row.onDataset();
    }

    static ScheduleRow withDatasetVersion(ScheduleRow r, Integer version) {
        return new ScheduleRow(
                r.id(),
                r.project(),
                r.name(),
                r.pipeline(),
                r.pipelineVersion(),
                r.bundle(),
                r.parameters(),
                r.cron(),
                r.everySpec(),
                r.onDataset(),
                r.timezone(),
                r.jitter(),
                r.overlap(),
                r.catchupWindow(),
                r.note(),
                r.createdBy(),
                r.createdById(),
                r.createdAt(),
                r.updatedAt(),
                version,
                r.lastProblem(),
                r.lastProblemAt());
    }

    static Instant scheduledAt(ScheduleDao.ScheduledRun run) {
        JsonNode trigger = run.triggerInfo() == null ? null : Json.read(run.triggerInfo(), JsonNode.class);
        return trigger != null && trigger.hasNonNull("scheduledAt")
                ? Instant.parse(trigger.get("scheduledAt").asText())
                : null;
    }

    ScheduleView view(ScheduleRow row) {
        TemporalSchedules.State state = null;
        String unavailable = null;
        try {
            state = temporal.describe(row.id());
        } catch (RuntimeException e) {
            unavailable = e.getMessage();
        }
        List<ScheduleView.RecentRun> recent =
                jdbi.onDemand(ScheduleDao.class).recentRuns(row.id(), RECENT_RUNS).stream()
                        .map(r -> {
                            JsonNode trigger =
                                    r.triggerInfo() == null ? null : Json.read(r.triggerInfo(), JsonNode.class);
                            return new ScheduleView.RecentRun(
                                    r.id(),
                                    scheduledAt(r),
                                    trigger != null && trigger.has("version")
                                            ? trigger.get("version").asInt()
                                            : null,
                                    r.status());
                        })
                        .toList();
        String dataset = row.onDataset();
        if (dataset != null && dataset.startsWith(row.project() + "/")) {
            dataset = dataset.substring(row.project().length() + 1);
        }
        return new ScheduleView(
                row.id(),
                row.name(),
                row.project(),
                row.pipeline(),
                row.pipelineVersion(),
                row.bundle(),
                ScheduleChecks.parameters(row.parameters()),
                row.cron(),
                row.everySpec(),
                dataset,
                row.timezone(),
                row.jitter(),
                row.overlap(),
                row.catchupWindow(),
                state == null ? null : state.paused(),
                state == null ? row.note() : emptyToNull(state.note()),
                row.createdBy(),
                Instant.ofEpochMilli(row.createdAt()),
                Instant.ofEpochMilli(row.updatedAt()),
                state == null ? List.of() : state.nextRunTimes(),
                recent,
                row.lastDatasetVersion(),
                row.lastProblem() == null
                        ? null
                        : new ScheduleView.Problem(row.lastProblem(), Instant.ofEpochMilli(row.lastProblemAt())),
                unavailable);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
