package io.baton.server.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.baton.protocol.JsonNumbers;
import io.baton.protocol.MetricPoint;
import io.baton.protocol.PackedPoints;
import io.baton.server.core.BatonException;
import io.baton.server.core.Json;
import io.baton.server.registry.Names;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packed metric points of a log batch, checked before anything is stored: per name, the JSON text
 * {@code [[seq, value, timeMs, x or null], ...]} with whole numbers for seq and time, a finite number for the
 * value and an object (or null) for x. The text is stored as it came; the last point is what the run shows.
 */
public record PackedSeries(String name, String points, long lastSeq, long lastTime, double lastValue) {
    private static final int MAX_NAME = 200;

    public static List<PackedSeries> check(Map<String, String> packed) {
        List<PackedSeries> series = new ArrayList<>();
        for (var e : packed.entrySet()) {
            String name = checkName(e.getKey());
            PackedSeries s = scan(name, e.getValue());
            if (s != null) {
                series.add(s);
            }
        }
        return series;
    }

    /**
     * Points as they came (a worker in this process, or one from before packed points), checked and packed here in one
     * pass: nothing to parse back.
     */
    public static List<PackedSeries> of(List<MetricPoint> points) {
        for (MetricPoint p : points) {
            checkName(p.name());
            if (!Double.isFinite(p.value()) || !p.x().values().stream().allMatch(PackedSeries::finiteNumber)) {
                throw malformed(p.name());
            }
        }
        return PackedPoints.packSeries(points).stream()
                .map(s -> new PackedSeries(s.name(), s.points(), s.lastSeq(), s.lastTime(), s.lastValue()))
                .toList();
    }

    private static boolean finiteNumber(Object value) {
        return value instanceof Number n
                && (!(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue()));
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw BatonException.badRequest("a metric name must be 1 to " + MAX_NAME + " characters");
        }
        return name;
    }

    /** The series with its last point; null when it holds no point. */
    private static PackedSeries scan(String name, String text) {
        if (text == null) {
            throw malformed(name);
        }
        CompactPoints compact = new CompactPoints(text, null);
        if (compact.read()) {
            return compact.count() == 0
                    ? null
                    : new PackedSeries(
                            name, text, compact.lastSeq(), compact.lastTime(), Double.parseDouble(compact.lastValue()));
        }
        return parsed(name, text);
    }

    /** As {@link #scan}, token by token with a JSON parser: any text that is not written as compactly as a worker does. */
    static PackedSeries parsed(String name, String text) {
        long seq = 0;
        long time = 0;
        String value = null;
        int count = 0;
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw malformed(name);
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.START_ARRAY) {
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw malformed(name);
                }
                seq = p.getLongValue();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw malformed(name);
                }
                value = p.getText();
                if (!JsonNumbers.finite(value) || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw malformed(name);
                }
                time = p.getLongValue();
                JsonToken x = p.nextToken();
                if (x == JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else if (x != JsonToken.VALUE_NULL) {
                    throw malformed(name);
                }
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    throw malformed(name);
                }
                count++;
            }
            if (token != JsonToken.END_ARRAY || p.nextToken() != null) {
                throw malformed(name);
            }
        } catch (IOException e) {
            throw malformed(name);
        }
        return count == 0 ? null : new PackedSeries(name, text, seq, time, Double.parseDouble(value));
    }

    private static BatonException malformed(String name) {
        return BatonException.badRequest("the points of metric '" + Names.abbreviate(name) + "' must be [[seq, value,"
                + " timeMs, x or null], ...] with whole seq and timeMs, a finite value and an object or null for x");
    }
}
