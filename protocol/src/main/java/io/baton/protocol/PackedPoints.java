package io.baton.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric points packed per name as {@code [[seq, value, timeMs, x or null], ...]}: how a worker sends them and how
 * the server stores them, so that each point is written once and read once.
 */
public final class PackedPoints {
    private static final JsonFactory JSON = new JsonFactory();

    private PackedPoints() {}

    /** A packed series and its last point (the last one given). */
    public record Series(String name, String points, long lastSeq, long lastTime, double lastValue) {}

    /** The points grouped by name, in the order names first appear, each group in the order given. */
    public static Map<String, String> pack(List<MetricPoint> points) {
        Map<String, String> packed = new LinkedHashMap<>();
        packSeries(points).forEach(s -> packed.put(s.name(), s.points()));
        return packed;
    }

    /** As {@link #pack}, with each series' last point. */
    public static List<Series> packSeries(List<MetricPoint> points) {
        Map<String, JsonGenerator> open = new LinkedHashMap<>();
        Map<String, StringWriter> texts = new LinkedHashMap<>();
        Map<String, MetricPoint> last = new LinkedHashMap<>();
        try {
            for (MetricPoint p : points) {
                last.put(p.name(), p);
                JsonGenerator json = open.get(p.name());
                if (json == null) {
                    StringWriter text = new StringWriter();
                    json = JSON.createGenerator(text);
                    json.writeStartArray();
                    open.put(p.name(), json);
                    texts.put(p.name(), text);
                }
                json.writeStartArray();
                json.writeNumber(p.seq());
                json.writeNumber(p.value());
                json.writeNumber(p.timeMillis());
                if (p.x().isEmpty()) {
                    json.writeNull();
                } else {
                    json.writeStartObject();
                    for (var axis : p.x().entrySet()) {
                        json.writeFieldName(axis.getKey());
                        writeNumber(json, axis.getValue());
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            List<Series> packed = new java.util.ArrayList<>(open.size());
            for (var e : open.entrySet()) {
                e.getValue().writeEndArray();
                e.getValue().close();
                MetricPoint end = last.get(e.getKey());
                packed.add(new Series(
                        e.getKey(), texts.get(e.getKey()).toString(), end.seq(), end.timeMillis(), end.value()));
            }
            return packed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The points of packed series, by sequence number (the series' order among equal ones). */
    public static List<MetricPoint> unpack(Map<String, String> packed) {
        List<MetricPoint> points = new java.util.ArrayList<>();
        try {
            for (var series : packed.entrySet()) {
                try (JsonParser p = JSON.createParser(series.getValue())) {
                    p.nextToken();
                    while (p.nextToken() == JsonToken.START_ARRAY) {
                        p.nextToken();
                        long seq = p.getLongValue();
                        p.nextToken();
                        double value = p.getDoubleValue();
                        p.nextToken();
                        long time = p.getLongValue();
                        Map<String, Object> x = new LinkedHashMap<>();
                        if (p.nextToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String axis = p.currentName();
                                p.nextToken();
                                x.put(axis, p.getNumberValue());
                            }
                        }
                        p.nextToken();
                        points.add(new MetricPoint(series.getKey(), seq, value, time, x));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        points.sort(java.util.Comparator.comparingLong(MetricPoint::seq));
        return points;
    }

    private static void writeNumber(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Integer i) {
            json.writeNumber(i);
        } else if (value instanceof Long l) {
            json.writeNumber(l);
        } else if (value instanceof java.math.BigInteger b) {
            json.writeNumber(b);
        } else if (value instanceof java.math.BigDecimal d) {
            json.writeNumber(d);
        } else if (value instanceof Number n) {
            json.writeNumber(n.doubleValue());
        } else {
            json.writeNull();
        }
    }
}
