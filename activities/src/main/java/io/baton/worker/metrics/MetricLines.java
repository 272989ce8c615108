package io.baton.worker.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.baton.protocol.JsonNumbers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads metrics from stdout: a JSON-object line's numeric fields are metrics, its axis fields ({@code epoch},
 * {@code step}, ...) their x; flat lines in one pass, others by a streaming parser (docs/architecture.md, "Metrics").
 */
public final class MetricLines {
    static final Set<String> AXES = Set.of("epoch", "step", "iteration", "batch", "x");
    private static final int MAX_NAME = 200;
    /** Longer numbers are left to the streaming parser, whose limits decide. */
    private static final int MAX_NUMBER = 300;
    /** Jackson's limit on a name's length (StreamReadConstraints): a longer one makes the line not JSON. */
    private static final int MAX_JSON_NAME = 50_000;

    private static final JsonFactory JSON = new JsonFactory();

    private MetricLines() {}

    /** The metrics of one stdout line; null when the line is not a JSON object with numbers. */
    public static Line read(String line) {
        return new Reader().read(line);
    }

    /**
     * Reads the lines of one output, one after the other, and hands out the names it has seen before instead of new
     * copies of them. Not for more than one thread at a time.
     */
    public static final class Reader {
        private final String[] known = new String[32];
        private int nextKnown;

        /** The metrics of one stdout line; null when the line is not a JSON object with numbers. */
        public Line read(String line) {
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

        /** The line's metrics read in one pass, or {@link #NOT_FLAT}; {@code from}, {@code to}: the braces' span. */
        Line flat(String line, int from, int to) {
            Line fields = new Line(line);
            return new FlatObject(line, from, to, fields, this).read() ? fields.done() : NOT_FLAT;
        }

        /** The characters {@code start} to {@code end} of {@code text}, as a string seen before when there is one. */
        String name(String text, int start, int end) {
            int length = end - start;
            for (String name : known) {
                if (name != null && name.length() == length && text.regionMatches(start, name, 0, length)) {
                    return name;
                }
            }
            String name = text.substring(start, end);
            known[nextKnown] = name;
            nextKnown = (nextKnown + 1) % known.length;
            return name;
        }
    }

    /** What {@link Reader#flat} answers for a line it leaves to the streaming parser. */
    static final Line NOT_FLAT = new Line("");

    /**
     * The metrics of one line: each metric's name and value, and the line's axes. Values and axes are JSON numbers,
     * kept as where they stand in a text (the line's own, or one the streaming parser's tokens were put in).
     */
    public static final class Line {
        private final String text;
        private final Fields metrics = new Fields(2);
        private final Fields axes = new Fields(1);

        private Line(String text) {
            this.text = text;
        }

        public int size() {
            return metrics.size;
        }

        public String name(int i) {
            return metrics.names[i];
        }

        /** The value as JSON number text; a whole number gets a {@code .0} (a metric's value reads back as a float). */
        public String value(int i) {
            StringBuilder value = new StringBuilder();
            appendValue(i, value);
            return value.toString();
        }

        /** Appends {@link #value(int)}. */
        public void appendValue(int i, StringBuilder out) {
            int start = metrics.spans[2 * i];
            int end = metrics.spans[2 * i + 1];
            if (!JsonNumbers.whole(text, start, end)) {
                out.append(text, start, end);
            } else if (negativeZero(text, start, end)) {
                out.append("0.0"); // as a JSON parser reads the whole number -0: 0
            } else {
                out.append(text, start, end).append(".0");
            }
        }

        /** Appends the axes as a JSON object, {@code {"epoch":3}}, or {@code null} when the line has none. */
        public void appendX(StringBuilder out) {
            if (axes.size == 0) {
                out.append("null");
                return;
            }
            for (int i = 0; i < axes.size; i++) {
                int start = axes.spans[2 * i];
                int end = axes.spans[2 * i + 1];
                out.append(i == 0 ? "{\"" : ",\"").append(axes.names[i]).append("\":");
                if (JsonNumbers.whole(text, start, end) && negativeZero(text, start, end)) {
                    out.append('0');
                } else {
                    out.append(text, start, end);
                }
            }
            out.append('}');
        }

        /** The axes as a JSON object's text; null when the line has none. */
        public String x() {
            if (axes.size == 0) {
                return null;
            }
            StringBuilder x = new StringBuilder();
            appendX(x);
            return x.toString();
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < metrics.size; i++) {
                out.append(metrics.names[i]).append('=');
                appendValue(i, out);
                out.append(' ');
            }
            return out.append("x=").append(x()).toString();
        }

        /**
         * A field as it is read: a name given twice counts once, with its last value, where it first stood; a name
         * whose value is not a number ({@code start} -1) is dropped, and stands last if it comes back.
         */
        void field(String name, int start, int end) {
            boolean axis = AXES.contains(name);
            // an axis is kept as a JSON parser reads it: any whole number (a BigInteger if need be), a finite double
            boolean kept = start >= 0
                    && (axis
                            ? JsonNumbers.whole(text, start, end) || JsonNumbers.finite(text, start, end)
                            : name.length() <= MAX_NAME && JsonNumbers.finite(text, start, end));
            Fields into = axis ? axes : metrics;
            if (kept) {
                into.put(name, start, end);
            } else {
                into.remove(name);
            }
        }

        /** This line, or null when it holds no metric. */
        Line done() {
            return metrics.size == 0 ? null : this;
        }
    }

    /** Names, each with the span of its value in the line's text, in the order they first stood. */
    private static final class Fields {
        private String[] names;
        private int[] spans;
        private int size;

        Fields(int capacity) {
            names = new String[capacity];
            spans = new int[2 * capacity];
        }

        /** The name's value, where the name first stood (at the end when it is new). */
        void put(String name, int start, int end) {
            int at = indexOf(name);
            if (at < 0) {
                if (size == names.length) {
                    names = Arrays.copyOf(names, size * 2);
                    spans = Arrays.copyOf(spans, size * 4);
                }
                names[size] = name;
                at = size++;
            }
            spans[2 * at] = start;
            spans[2 * at + 1] = end;
        }

        void remove(String name) {
            int at = indexOf(name);
            if (at >= 0) {
                System.arraycopy(names, at + 1, names, at, size - at - 1);
                System.arraycopy(spans, 2 * at + 2, spans, 2 * at, 2 * (size - at - 1));
                size--;
            }
        }

        private int indexOf(String name) {
            for (int i = 0; i < size; i++) {
                if (names[i] == name || names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static boolean negativeZero(String text, int start, int end) {
        return end - start == 2 && text.charAt(start) == '-' && text.charAt(start + 1) == '0';
    }

    /**
     * One pass over a flat JSON object whose values are numbers, plain strings, booleans or null, written as JSON's
     * grammar allows. {@link #read} is false for anything else, which the streaming parser then reads.
     */
    private static final class FlatObject {
        private final String text;
        private final int end;
        private final Line fields;
        private final Reader names;
        private int i;

        FlatObject(String text, int from, int to, Line fields, Reader names) {
            this.text = text;
            this.i = from + 1;
            this.end = to;
            this.fields = fields;
            this.names = names;
        }

        boolean read() {
            skipSpace();
            if (i < end && text.charAt(i) == '}') {
                return i == end - 1;
            }
            while (true) {
                int nameStart = string();
                if (nameStart < 0) {
                    return false;
                }
                if (i - 1 - nameStart > MAX_JSON_NAME) {
                    return false; // the streaming parser refuses the whole line
                }
                String name = names.name(text, nameStart, i - 1);
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
                    int start = i;
                    if (!number()) {
                        return false;
                    }
                    fields.field(name, start, i);
                } else if (c == '"') {
                    if (string() < 0) {
                        return false;
                    }
                    fields.field(name, -1, -1);
                } else if (word("true") || word("false") || word("null")) {
                    fields.field(name, -1, -1);
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

        /** A string without escapes or control characters: where its characters start (after it: i); -1 otherwise. */
        private int string() {
            if (i >= end || text.charAt(i) != '"') {
                return -1;
            }
            int start = ++i;
            while (i < end) {
                char c = text.charAt(i);
                if (c == '"') {
                    i++;
                    return start;
                }
                if (c == '\\' || c < 0x20) {
                    return -1;
                }
                i++;
            }
            return -1;
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

        /** A number as JSON writes it, followed by the object's next token. */
        private boolean number() {
            int after = JsonNumbers.end(text, i, end);
            if (after < 0 || after < end && !delimiter(text.charAt(after)) || after - i > MAX_NUMBER) {
                return false;
            }
            i = after;
            return true;
        }

        private static boolean delimiter(char c) {
            return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }
    }

    /** Any other line that starts and ends like an object, read by the streaming parser. */
    static Line slow(String trimmed) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (JsonParser p = JSON.createParser(trimmed)) {
            p.nextToken();
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                names.add(p.currentName());
                JsonToken value = p.nextToken();
                boolean number = value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
                values.add(number ? p.getText() : null);
                p.skipChildren();
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null; // not one object, or text after it
            }
        } catch (IOException e) {
            return null;
        }
        // the numbers one after the other in a text of their own, where the fields' spans point
        StringBuilder text = new StringBuilder();
        int[] starts = new int[values.size()];
        for (int i = 0; i < values.size(); i++) {
            starts[i] = values.get(i) == null ? -1 : text.length();
            if (values.get(i) != null) {
                text.append(values.get(i));
            }
        }
        Line fields = new Line(text.toString());
        for (int i = 0; i < names.size(); i++) {
            fields.field(
                    names.get(i),
                    starts[i],
                    starts[i] < 0 ? -1 : starts[i] + values.get(i).length());
        }
        return fields.done();
    }
}
