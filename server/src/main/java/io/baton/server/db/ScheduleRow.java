package io.baton.server.db;

/**
 * A row of {@code schedules}: exactly one of {@code cron}, {@code everySpec} and {@code onDataset} (as
 * {@code project/name}) is set; durations are kept as written ({@code 30s}).
 */
public record ScheduleRow(
        String id,
        String project,
        String name,
        String pipeline,
        Integer pipelineVersion,
        String bundle,
        String parameters,
        String cron,
        String everySpec,
        String onDataset,
        String timezone,
        String jitter,
        String overlap,
        String catchupWindow,
        String note,
        String createdBy,
        String createdById,
        long createdAt,
        long updatedAt,
        Integer lastDatasetVersion,
        String lastProblem,
        Long lastProblemAt) {}
