package io.baton.worker;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.baton.protocol.MetricPoint;
import io.baton.protocol.PackedPoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads metrics from stdout: a line that is a JSON object is a metrics record. Its numeric fields are metrics,
 * except the axis fields ({@code epoch}, {@code step}, ...), which become the points' {@code x}. A step may print a
 * hundred thousand such lines, so the usual one, a flat object of numbers and plain strings, is read by hand in one
 * pass that keeps each number as the text the step printed; anything else (escapes, nested values, a line that may
 * not be JSON at all) is left to a streaming JSON parser, which decides as strictly.
 */
public final class MetricLines {
  static final Set<String> AXES = Set.of("epoch", "step", "iteration", "batch", "x");
  private static final int MAX_NAME = 200;
  /** Jackson's default limit on a number's length: a longer one makes the line not JSON. */
  private static final int MAX_NUMBER = 1000;
  private static final JsonFactory JSON = new JsonFactory();

  private MetricLines() {
  }

  /**
   * The metrics of one line: each metric's name and value, and the line's axes as a JSON object (null without
   * axes). Values and axes are JSON numbers as the step wrote them, except that a whole number gets a {@code .0}
   * (a metric's value is a floating-point number, and reads back as one).
   */
  public static final class Line {
    private final String[] names;
    private final String[] values;
    private final String[] axes;
    private final String[] axisValues;
    private final String x;

    private Line(String[] names, String[] values, String[] axes, String[] axisValues) {
      this.names = names;
      this.values = values;
      this.axes = axes;
      this.axisValues = axisValues;
      if (axes.length == 0) {
        this.x = null;
      } else {
        StringBuilder text = new StringBuilder(16 * axes.length).append('{');
        for (int i = 0; i < axes.length; i++) {
          text.append(i == 0 ? "\"" : ",\"").append(axes[i]).append("\":").append(axisValues[i]);
        }
        this.x = text.append('}').toString();
      }
    }

    public int size() {
      return names.length;
    }

    public String name(int i) {
      return names[i];
    }

    /** The value as JSON number text. */
    public String value(int i) {
      return values[i];
    }

    /** The axes as a JSON object's text, {@code {"epoch":3}}; null when the line has none. */
    public String x() {
      return x;
    }

    @Override
    public String toString() {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < names.length; i++) {
        text.append(names[i]).append('=').append(values[i]).append(' ');
      }
      return text.append("x=").append(x).toString();
    }

    /** The axes as numbers, as a JSON parser reads them: whole numbers as Integer, Long or BigInteger. */
    Map<String, Object> axes() {
      Map<String, Object> numbers = new LinkedHashMap<>();
      for (int i = 0; i < axes.length; i++) {
        numbers.put(axes[i], number(axisValues[i]));
      }
      return numbers;
    }

    private static Number number(String text) {
      if (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0) {
        return Double.parseDouble(text);
      }
      java.math.BigInteger whole = new java.math.BigInteger(text);
      return whole.bitLength() < 32 ? Integer.valueOf(whole.intValue())
          : whole.bitLength() < 64 ? Long.valueOf(whole.longValue()) : whole;
    }
  }

  /** The metrics of one stdout line; null when the line is not a JSON object with numbers. */
  public static Line read(String line) {
    int from = 0;
    int to = line.length();
    while (from < to && Character.isWhitespace(line.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(line.charAt(to - 1))) {
      to--;
    }
    if (to - from < 2 || line.charAt(from) != '{' || line.charAt(to - 1) != '}') {
      return null;
    }
    Line flat = flat(line, from, to);
    return flat != NOT_FLAT ? flat : slow(line.substring(from, to));
  }

  /** What {@link #flat} answers for a line it leaves to the streaming parser. */
  static final Line NOT_FLAT = new Line(new String[0], new String[0], new String[0], new String[0]);

  /** The line's metrics read in one pass, or {@link #NOT_FLAT}; {@code from}, {@code to}: the braces' span. */
  static Line flat(String line, int from, int to) {
    Fields fields = new Fields();
    return new FlatObject(line, from, to, fields).read() ? fields.line() : NOT_FLAT;
  }

  /** The metric points of one stdout line (empty when the line is not a JSON object with numbers). */
  public static List<MetricPoint> parse(String line, long seq, long timeMillis) {
    Line read = read(line);
    if (read == null) {
      return List.of();
    }
    Map<String, Object> x = read.axes();
    List<MetricPoint> points = new ArrayList<>(read.size());
    for (int i = 0; i < read.size(); i++) {
      points.add(new MetricPoint(read.name(i), seq, Double.parseDouble(read.value(i)), timeMillis,
          x.isEmpty() ? Map.of() : x));
    }
    return points;
  }

  /**
   * The fields of a line as they are read: a name given twice counts once, with its last value, where it first
   * stood; a name whose value is not a number is dropped (and stands last if it comes back).
   */
  private static final class Fields {
    private String[] names = new String[4];
    private String[] values = new String[4];
    private int count;
    private String[] axes = new String[2];
    private String[] axisValues = new String[2];
    private int axisCount;

    void field(String name, String number) {
      if (AXES.contains(name)) {
        int at = indexOf(axes, axisCount, name);
        if (number != null && PackedPoints.finite(number)) {
          if (at < 0) {
            if (axisCount == axes.length) {
              axes = Arrays.copyOf(axes, axisCount * 2);
              axisValues = Arrays.copyOf(axisValues, axisCount * 2);
            }
            axes[axisCount] = name;
            at = axisCount++;
          }
          axisValues[at] = number;
        } else if (at >= 0) {
          axisCount = remove(axes, axisValues, axisCount, at);
        }
        return;
      }
      int at = indexOf(names, count, name);
      if (number != null && name.length() <= MAX_NAME && PackedPoints.finite(number)) {
        if (at < 0) {
          if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            values = Arrays.copyOf(values, count * 2);
          }
          names[count] = name;
          at = count++;
        }
        values[at] = number;
      } else if (at >= 0) {
        count = remove(names, values, count, at);
      }
    }

    private static int indexOf(String[] keys, int size, String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }

    private static int remove(String[] keys, String[] vals, int size, int at) {
      System.arraycopy(keys, at + 1, keys, at, size - at - 1);
      System.arraycopy(vals, at + 1, vals, at, size - at - 1);
      return size - 1;
    }

    Line line() {
      if (count == 0) {
        return null;
      }
      String[] valueTexts = new String[count];
      for (int i = 0; i < count; i++) {
        valueTexts[i] = asFloat(values[i]);
      }
      return new Line(Arrays.copyOf(names, count), valueTexts, Arrays.copyOf(axes, axisCount),
          Arrays.copyOf(axisValues, axisCount));
    }

    private static String asFloat(String number) {
      for (int i = 0; i < number.length(); i++) {
        char c = number.charAt(i);
        if (c == '.' || c == 'e' || c == 'E') {
          return number;
        }
      }
      return number.concat(".0");
    }
  }

  /**
   * One pass over a flat JSON object whose values are numbers, plain strings, booleans or null, written as JSON's
   * grammar allows. {@link #read} is false for anything else, which the streaming parser then reads.
   */
  private static final class FlatObject {
    private final String text;
    private final int end;
    private final Fields fields;
    private int i;

    FlatObject(String text, int from, int to, Fields fields) {
      this.text = text;
      this.i = from + 1;
      this.end = to;
      this.fields = fields;
    }

    boolean read() {
      skipSpace();
      if (i < end && text.charAt(i) == '}') {
        return i == end - 1;
      }
      while (true) {
        String name = string();
        if (name == null) {
          return false;
        }
        skipSpace();
        if (i >= end || text.charAt(i) != ':') {
          return false;
        }
        i++;
        skipSpace();
        if (i >= end) {
          return false;
        }
        char c = text.charAt(i);
        if (c == '-' || c >= '0' && c <= '9') {
          String number = number();
          if (number == null) {
            return false;
          }
          fields.field(name, number);
        } else if (c == '"') {
          if (string() == null) {
            return false;
          }
          fields.field(name, null);
        } else if (word("true") || word("false") || word("null")) {
          fields.field(name, null);
        } else {
          return false; // a nested value, or not JSON
        }
        skipSpace();
        if (i >= end) {
          return false;
        }
        c = text.charAt(i++);
        if (c == '}') {
          return i == end;
        }
        if (c != ',') {
          return false;
        }
        skipSpace();
      }
    }

    private void skipSpace() {
      while (i < end) {
        char c = text.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        i++;
      }
    }

    /** A string without escapes or control characters; null otherwise. */
    private String string() {
      if (i >= end || text.charAt(i) != '"') {
        return null;
      }
      int start = ++i;
      while (i < end) {
        char c = text.charAt(i);
        if (c == '"') {
          return text.substring(start, i++);
        }
        if (c == '\\' || c < 0x20) {
          return null;
        }
        i++;
      }
      return null;
    }

    private boolean word(String word) {
      if (!text.startsWith(word, i)) {
        return false;
      }
      int after = i + word.length();
      if (after < end && !delimiter(text.charAt(after))) {
        return false;
      }
      i = after;
      return true;
    }

    /** A number as JSON writes it: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; null otherwise. */
    private String number() {
      int start = i;
      if (text.charAt(i) == '-') {
        i++;
      }
      if (i >= end) {
        return null;
      }
      if (text.charAt(i) == '0') {
        i++;
      } else if (!digits()) {
        return null;
      }
      if (i < end && text.charAt(i) == '.') {
        i++;
        if (!digits()) {
          return null;
        }
      }
      if (i < end && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
        i++;
        if (i < end && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
          i++;
        }
        if (!digits()) {
          return null;
        }
      }
      if (i < end && !delimiter(text.charAt(i)) || i - start > MAX_NUMBER) {
        return null;
      }
      return text.substring(start, i);
    }

    private boolean digits() {
      int start = i;
      while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
        i++;
      }
      return i > start;
    }

    private static boolean delimiter(char c) {
      return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }
  }

  /** Any other line that starts and ends like an object, read by the streaming parser. */
  static Line slow(String trimmed) {
    Fields fields = new Fields();
    try (JsonParser p = JSON.createParser(trimmed)) {
      p.nextToken();
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
        fields.field(name, number ? p.getText() : null);
        p.skipChildren();
      }
      if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
        return null; // not one object, or text after it
      }
    } catch (IOException e) {
      return null;
    }
    return fields.line();
  }
}
