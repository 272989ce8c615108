package io.baton.server.db;

/** A row of {@code metrics}. */
public record MetricRow(
        String runId, String step, int attempt, String name, long seq, double metricValue, long timeMs, String x) {}
