package io.baton.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.baton.protocol.MetricPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads metrics from stdout: a line that is a JSON object is a metrics record. Its numeric fields are metrics,
 * except the axis fields ({@code epoch}, {@code step}, ...), which become the points' {@code x}. Lines are read
 * with a streaming parser, token by token, without building a tree: a step may print a hundred thousand of them.
 */
public final class MetricLines {
  static final Set<String> AXES = Set.of("epoch", "step", "iteration", "batch", "x");
  private static final int MAX_NAME = 200;
  private static final JsonFactory JSON = new JsonFactory();

  private MetricLines() {
  }

  /** The metric points of one stdout line (empty when the line is not a JSON object with numbers). */
  public static List<MetricPoint> parse(String line, long seq, long timeMillis) {
    String trimmed = line.strip();
    if (trimmed.length() < 2 || trimmed.charAt(0) != '{' || trimmed.charAt(trimmed.length() - 1) != '}') {
      return List.of();
    }
    // a name given twice counts once, with its last value, where it first stood
    Map<String, Double> values = new LinkedHashMap<>();
    Map<String, Object> x = new LinkedHashMap<>();
    try (JsonParser p = JSON.createParser(trimmed)) {
      p.nextToken();
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
        if (AXES.contains(name)) {
          Number axis = number ? p.getNumberValue() : null;
          if (axis != null && !(axis instanceof Double d && !Double.isFinite(d))) {
            x.put(name, axis);
          } else {
            x.remove(name);
          }
        } else if (number && Double.isFinite(p.getDoubleValue()) && name.length() <= MAX_NAME) {
          values.put(name, p.getDoubleValue());
        } else {
          values.remove(name);
        }
        p.skipChildren();
      }
      if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
        return List.of(); // not one object, or text after it
      }
    } catch (IOException e) {
      return List.of();
    }
    List<MetricPoint> points = new ArrayList<>(values.size());
    Map<String, Object> axes = x.isEmpty() ? Map.of() : x;
    values.forEach((name, value) -> points.add(new MetricPoint(name, seq, value, timeMillis, axes)));
    return points;
  }
}
