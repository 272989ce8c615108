package io.baton.protocol;

import java.util.Map;

/**
 * A slice of an attempt's output: {@code seq} numbers the batches of an attempt (0, 1, ...) so that a batch sent
 * again after a lost answer is stored once; {@code text} is stdout and stderr as they came, line by line;
 * {@code packedMetrics} the metric points of its lines, per name in the form of {@link PackedPoints}.
 */
public record LogBatch(long seq, String text, Map<String, String> packedMetrics) {
    public LogBatch {
        packedMetrics = packedMetrics == null ? Map.of() : packedMetrics;
    }
}
