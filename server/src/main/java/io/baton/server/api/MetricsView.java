package io.baton.server.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/runs/{id}/metrics}: one series per step, attempt and metric name. */
public record MetricsView(List<Series> series) {
    public record Series(String step, int attempt, String name, List<Point> points) {}

    public record Point(long seq, double value, Instant time, Map<String, Object> x) {}
}
