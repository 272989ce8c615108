package io.baton.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A schedule ({@code id}: its Temporal Schedule is {@code schedule-<id>}): its definition (Baton's database), whether it is paused and its next fire times (Temporal's; null and
 * empty with {@code temporal} saying why while Temporal does not answer), its recent runs and the last fire's problem.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScheduleView(
        String id,
        String name,
        String project,
        String pipeline,
        Integer pipelineVersion,
        String bundle,
        Map<String, Object> parameters,
        String cron,
        String every,
        String onDataset,
        String timezone,
        String jitter,
        String overlap,
        String catchupWindow,
        Boolean paused,
        String note,
        String createdBy,
        Instant createdAt,
        Instant updatedAt,
        List<Instant> nextRunTimes,
        List<RecentRun> recentRuns,
        Integer lastDatasetVersion,
        Problem lastProblem,
        String temporal) {
    /** A run the schedule started: when its fire was scheduled (a data trigger's: its dataset version). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RecentRun(String runId, Instant scheduledAt, Integer datasetVersion, String status) {}

    /** Why a fire recorded no run, and when. */
    public record Problem(String message, Instant at) {}
}
