package io.baton.protocol;

import java.util.List;
import java.util.Map;

/**
 * A slice of an attempt's output: {@code seq} numbers the batches of an attempt (0, 1, ...) so that a batch sent
 * again after a lost answer is stored once; {@code text} is stdout and stderr as they came, line by line. The
 * metric points of its lines come packed, as the server stores them: {@code packedMetrics} maps a metric's name to
 * the JSON text {@code [[seq, value, timeMs, x or null], ...]}. {@code metrics}, one object per point, is what
 * workers sent before; the server still takes it.
 */
public record LogBatch(long seq, String text, List<MetricPoint> metrics, Map<String, String> packedMetrics) {
    public LogBatch {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        packedMetrics = packedMetrics == null ? Map.of() : packedMetrics;
    }

    public LogBatch(long seq, String text, List<MetricPoint> metrics) {
        this(seq, text, metrics, Map.of());
    }
}
