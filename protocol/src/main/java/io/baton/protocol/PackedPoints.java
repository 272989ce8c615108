package io.baton.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The one form of a metric's points from the worker to the database and back: the JSON text
 * {@code [[seq,value,timeMs,x or null],...]}, and its reader (docs/architecture.md, "Metrics").
 */
public final class PackedPoints {
    /** Sees each point as it is read: spans of its text, x being {@code null} or a JSON object. */
    public interface Visitor {
        void point(
                String text,
                int seqStart,
                int seqEnd,
                int valueStart,
                int valueEnd,
                long timeMillis,
                int xStart,
                int xEnd);

        /** The text is not written compactly: every point is seen again, from the first, read by a JSON parser. */
        default void again() {}
    }

    /** Longer numbers are left to the JSON parser, whose limits decide. */
    private static final int MAX_NUMBER = 300;

    private static final JsonFactory JSON = new JsonFactory();

    private PackedPoints() {}

    /**
     * Reads the points of one series in order: seq and timeMs whole numbers, the value a finite number, x an object or
     * null. False when the text is not such points (the visitor may have seen some of them).
     */
    public static boolean read(String text, Visitor visitor) {
        if (text == null) {
            return false;
        }
        if (new Compact(text, visitor).read()) {
            return true;
        }
        visitor.again();
        return parsed(text, visitor);
    }

    /**
     * One pass over points written as workers write them: no spaces, seq and timeMs of at most 18 digits, x null or an
     * object of numbers whose names have no escapes. False for any other text, which may still be valid JSON.
     */
    static boolean compact(String text, Visitor visitor) {
        return new Compact(text, visitor).read();
    }

    /** As {@link #read}, token by token with a JSON parser; x is written back compactly for the visitor. */
    static boolean parsed(String text, Visitor visitor) {
        StringBuilder point = new StringBuilder(64);
        StringWriter x = new StringWriter(32);
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return false;
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.START_ARRAY) {
                point.setLength(0);
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                p.getLongValue(); // refuses a seq beyond a long
                point.append(p.getText());
                int seqEnd = point.length();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
                    return false;
                }
                String value = p.getText();
                if (!JsonNumbers.finite(value) || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    return false;
                }
                point.append(',').append(value);
                int valueEnd = point.length();
                long time = p.getLongValue();
                point.append(',');
                int xStart = point.length();
                JsonToken xToken = p.nextToken();
                if (xToken == JsonToken.START_OBJECT) {
                    x.getBuffer().setLength(0);
                    try (JsonGenerator json = JSON.createGenerator(x)) {
                        json.copyCurrentStructure(p);
                    }
                    point.append(x.getBuffer());
                } else if (xToken == JsonToken.VALUE_NULL) {
                    point.append("null");
                } else {
                    return false;
                }
                if (p.nextToken() != JsonToken.END_ARRAY) {
                    return false;
                }
                visitor.point(point.toString(), 0, seqEnd, seqEnd + 1, valueEnd, time, xStart, point.length());
            }
            return token == JsonToken.END_ARRAY && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static final class Compact {
        private final String text;
        private final Visitor visitor;
        private int i;

        Compact(String text, Visitor visitor) {
            this.text = text;
            this.visitor = visitor;
        }

        boolean read() {
            if (!next('[')) {
                return false;
            }
            if (next(']')) {
                return i == text.length();
            }
            do {
                if (!next('[')) {
                    return false;
                }
                int seqStart = i;
                if (whole() < 0) {
                    return false;
                }
                int seqEnd = i;
                if (!next(',')) {
                    return false;
                }
                int valueStart = i;
                if (!number()) {
                    return false;
                }
                int valueEnd = i;
                if (!JsonNumbers.finite(text, valueStart, valueEnd) || !next(',')) {
                    return false;
                }
                long time = whole();
                int xStart = i + 1;
                if (time < 0 || !next(',') || !axes()) {
                    return false;
                }
                int xEnd = i;
                if (!next(']')) {
                    return false;
                }
                visitor.point(text, seqStart, seqEnd, valueStart, valueEnd, time, xStart, xEnd);
            } while (next(','));
            return next(']') && i == text.length();
        }

        private boolean next(char c) {
            if (i < text.length() && text.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        /** A whole number, 0 or more, of at most 18 digits and no leading zero; -1 for anything else. */
        private long whole() {
            int start = i;
            long value = 0;
            while (i < text.length() && isDigit(text.charAt(i)) && i - start < 18) {
                value = value * 10 + (text.charAt(i++) - '0');
            }
            boolean leadingZero = i - start > 1 && text.charAt(start) == '0';
            return i == start || leadingZero || i < text.length() && isDigit(text.charAt(i)) ? -1 : value;
        }

        /** A JSON number ({@link JsonNumbers#end}), at most {@link #MAX_NUMBER} characters. */
        private boolean number() {
            int after = JsonNumbers.end(text, i, text.length());
            if (after < 0 || after - i > MAX_NUMBER) {
                return false;
            }
            i = after;
            return true;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** null, or {@code {"name":number,...}} with at least one field. */
        private boolean axes() {
            if (text.startsWith("null", i)) {
                i += 4;
                return true;
            }
            if (!next('{')) {
                return false;
            }
            do {
                if (!next('"')) {
                    return false;
                }
                int start = i;
                while (i < text.length() && text.charAt(i) != '"') {
                    char c = text.charAt(i);
                    if (c == '\\' || c < 0x20) {
                        return false;
                    }
                    i++;
                }
                if (i == start || !next('"') || !next(':') || !number()) {
                    return false;
                }
            } while (next(','));
            return next('}');
        }
    }
}
