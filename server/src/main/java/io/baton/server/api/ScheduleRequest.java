package io.baton.server.api;

import java.util.Map;

/**
 * {@code POST /api/v1/schedules} and {@code PUT /api/v1/schedules/{name}} (where a field left out keeps its value):
 * exactly one of {@code cron}, {@code every} and {@code onDataset}.
 */
public record ScheduleRequest(
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
        String note) {}
