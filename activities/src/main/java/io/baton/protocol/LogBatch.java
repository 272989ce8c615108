package io.baton.protocol;

import java.util.List;

/**
 * A slice of an attempt's output: {@code seq} numbers the batches of an attempt (0, 1, ...) so that a batch sent
 * again after a lost answer is stored once; {@code text} is stdout and stderr as they came, line by line.
 */
public record LogBatch(long seq, String text, List<MetricPoint> metrics) {
  public LogBatch {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
  }
}
