package io.baton.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run as the API shows it; {@code metrics} holds the last value reported under each metric name. */
public record RunView(
        String id,
        String project,
        String pipeline,
        Integer pipelineVersion,
        String status,
        String workflowId,
        String temporalUiUrl,
        String bundle,
        Map<String, Object> parameters,
        int priority,
        String createdBy,
        String createdById,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String message,
        String resumedFrom,
        String reproducedFrom,
        Map<String, Double> metrics,
        List<StepView> steps,
        Map<String, Object> trigger) {}
