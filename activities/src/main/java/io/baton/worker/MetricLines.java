package io.baton.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.baton.protocol.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads metrics from stdout: a line that is a JSON object is a metrics record. Its numeric fields are metrics,
 * except the axis fields ({@code epoch}, {@code step}, ...), which become the points' {@code x}.
 */
public final class MetricLines {
  static final Set<String> AXES = Set.of("epoch", "step", "iteration", "batch", "x");
  /** One JSON object per line: text after it means the line is not a metrics record. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private MetricLines() {
  }

  /** The metric points of one stdout line (empty when the line is not a JSON object with numbers). */
  public static List<MetricPoint> parse(String line, long seq, long timeMillis) {
    String trimmed = line.strip();
    if (trimmed.length() < 2 || trimmed.charAt(0) != '{' || trimmed.charAt(trimmed.length() - 1) != '}') {
      return List.of();
    }
    JsonNode node;
    try {
      node = JSON.readTree(trimmed);
    } catch (java.io.IOException e) {
      return List.of();
    }
    if (node == null || !node.isObject()) {
      return List.of();
    }
    Map<String, Object> x = new LinkedHashMap<>();
    node.fields().forEachRemaining(f -> {
      if (AXES.contains(f.getKey()) && f.getValue().isNumber()) {
        x.put(f.getKey(), f.getValue().numberValue());
      }
    });
    List<MetricPoint> points = new ArrayList<>();
    node.fields().forEachRemaining(f -> {
      JsonNode v = f.getValue();
      if (!AXES.contains(f.getKey()) && v.isNumber() && Double.isFinite(v.doubleValue())
          && f.getKey().length() <= 200) {
        points.add(new MetricPoint(f.getKey(), seq, v.doubleValue(), timeMillis, x));
      }
    });
    return points;
  }
}
