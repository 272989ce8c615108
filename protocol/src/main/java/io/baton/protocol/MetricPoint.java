package io.baton.protocol;

import java.util.Map;

/**
 * One value of a metric, from a JSON line a step printed. {@code seq} numbers the metric lines of an attempt, so a
 * batch sent twice stores nothing twice; {@code x} holds the line's axis fields (epoch, step, ...).
 */
public record MetricPoint(String name, long seq, double value, long timeMillis, Map<String, Object> x) {
    public MetricPoint {
        x = x == null ? Map.of() : x;
    }
}
