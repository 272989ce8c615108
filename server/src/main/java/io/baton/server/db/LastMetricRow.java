package io.baton.server.db;

/** A run's last value of one metric ({@code run_metrics}). */
public record LastMetricRow(String runId, String name, double metricValue) {}
