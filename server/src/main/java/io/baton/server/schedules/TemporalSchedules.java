package io.baton.server.schedules;

import io.baton.pipeline.Durations;
import io.baton.server.core.BatonException;
import io.baton.server.core.ErrorCodes;
import io.baton.server.db.ScheduleRow;
import io.baton.server.temporal.TemporalService;
import io.baton.workflows.ScheduledRunWorkflow;
import io.baton.workflows.TaskQueues;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleBackfill;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.ScheduleListDescription;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** Baton's schedules as Temporal Schedules ({@code schedule-<id>}): their spec, policies and state. */
public final class TemporalSchedules {
    /** The overlap policies by their API names. */
    static final Map<String, ScheduleOverlapPolicy> OVERLAP = Map.of(
            "skip", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP,
            "bufferOne", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ONE,
            "bufferAll", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_BUFFER_ALL,
            "cancelOther", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_CANCEL_OTHER,
            "terminateOther", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_TERMINATE_OTHER,
            "allowAll", ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_ALLOW_ALL);

    private static final String PREFIX = ScheduledRunWorkflow.scheduleId("");

    private final TemporalService temporal;

    public TemporalSchedules(TemporalService temporal) {
        this.temporal = temporal;
    }

    /** What Temporal says of a schedule now. */
    public record State(boolean paused, String note, List<Instant> nextRunTimes, int runningActions) {}

    public void create(ScheduleRow row, boolean paused, String note) {
        act(() -> temporal.schedules()
                .createSchedule(
                        ScheduledRunWorkflow.scheduleId(row.id()),
                        schedule(row, paused, note),
                        ScheduleOptions.newBuilder().build()));
    }

    /** Creates the schedule unless it exists (the reconciler). */
    public void ensure(ScheduleRow row) {
        try {
            temporal.schedules()
                    .createSchedule(
                            ScheduledRunWorkflow.scheduleId(row.id()),
                            schedule(row, false, row.note()),
                            ScheduleOptions.newBuilder().build());
        } catch (ScheduleAlreadyRunningException exists) {
            // created meanwhile
        }
    }

    /** Replaces the schedule's spec, policies and action; its paused state stays unless {@code paused} says. */
    public void update(ScheduleRow row, Boolean paused) {
        act(() -> handle(row.id()).update(input -> {
            ScheduleState current = input.getDescription().getSchedule().getState();
            boolean p = paused != null ? paused : current.isPaused();
            String note = row.note() != null ? row.note() : current.getNote();
            return new ScheduleUpdate(schedule(row, p, note));
        }));
    }

    /** Deletes the schedule; one already gone is fine. */
    public void delete(String scheduleId) {
        try {
            handle(scheduleId).delete();
        } catch (RuntimeException e) {
            if (!notFound(e)) {
                throw e;
            }
        }
    }

    public void pause(String scheduleId, String note) {
        act(() -> handle(scheduleId).pause(note == null ? "paused through Baton's API" : note));
    }

    public void unpause(String scheduleId, String note) {
        act(() -> handle(scheduleId).unpause(note == null ? "unpaused through Baton's API" : note));
    }

    /** One fire now, whatever the overlap policy says ({@code allowAll}) or as {@code overlap} says. */
    public void trigger(String scheduleId, String overlap) {
        act(() -> handle(scheduleId).trigger(OVERLAP.get(overlap)));
    }

    public void backfill(String scheduleId, Instant from, Instant to, String overlap) {
        act(() -> handle(scheduleId).backfill(List.of(new ScheduleBackfill(from, to, OVERLAP.get(overlap)))));
    }

    public State describe(String scheduleId) {
        return call(() -> {
            ScheduleDescription d = handle(scheduleId).describe();
            List<Instant> next = d.getInfo().getNextActionTimes();
            return new State(
                    d.getSchedule().getState().isPaused(),
                    d.getSchedule().getState().getNote(),
                    next.subList(0, Math.min(3, next.size())),
                    d.getInfo().getRunningActions().size());
        });
    }

    /** The ids (Baton's) of every schedule Temporal holds for Baton. */
    public Set<String> ids() {
        return call(() -> temporal.schedules()
                .listSchedules()
                .map(ScheduleListDescription::getScheduleId)
                .filter(id -> id.startsWith(PREFIX))
                .map(id -> id.substring(PREFIX.length()))
                .collect(Collectors.toSet()));
    }

    private ScheduleHandle handle(String scheduleId) {
        return temporal.schedules().getHandle(ScheduledRunWorkflow.scheduleId(scheduleId));
    }

    private static Schedule schedule(ScheduleRow row, boolean paused, String note) {
        ScheduleSpec.Builder spec = ScheduleSpec.newBuilder();
        if (row.cron() != null) {
            spec.setCronExpressions(List.of(row.cron()));
        }
        if (row.everySpec() != null) {
            spec.setIntervals(List.of(new ScheduleIntervalSpec(Durations.parse(row.everySpec()))));
        }
        if (row.timezone() != null) {
            spec.setTimeZoneName(row.timezone());
        }
        if (row.jitter() != null) {
            spec.setJitter(Durations.parse(row.jitter()));
        }
        SchedulePolicy.Builder policy = SchedulePolicy.newBuilder()
                .setOverlap(OVERLAP.get(row.overlap()))
                .setPauseOnFailure(false);
        if (row.catchupWindow() != null) {
            policy.setCatchupWindow(Durations.parse(row.catchupWindow()));
        }
        return Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(ScheduledRunWorkflow.class)
                        .setArguments(row.id())
                        .setOptions(WorkflowOptions.newBuilder()
                                .setWorkflowId(ScheduledRunWorkflow.actionWorkflowId(row.id()))
                                .setTaskQueue(TaskQueues.CONTROL)
                                .build())
                        .build())
                .setSpec(spec.build())
                .setPolicy(policy.build())
                .setState(ScheduleState.newBuilder()
                        .setPaused(paused)
                        .setNote(note == null ? "" : note)
                        .build())
                .build();
    }

    private static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private static void act(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    static boolean notFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return true;
            }
        }
        return false;
    }

    /** Temporal refused or did not answer: a 503 the client may retry (the definition is left as it was). */
    static RuntimeException unavailable(RuntimeException e) {
        if (e instanceof BatonException) {
            return e;
        }
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StatusRuntimeException s) {
                why = s.getStatus().getCode()
                        + (s.getStatus().getDescription() == null
                                ? ""
                                : ": " + s.getStatus().getDescription());
                break;
            }
        }
        return new BatonException(
                503,
                ErrorCodes.UNAVAILABLE,
                "Temporal refused the schedule's change or does not" + " answer (" + why
                        + "); nothing was changed, try again");
    }
}
