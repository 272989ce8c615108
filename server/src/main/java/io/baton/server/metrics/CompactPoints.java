package io.baton.server.metrics;

import io.baton.protocol.JsonNumbers;

/**
 * One pass over metric points packed the way workers write them: {@code [[seq,value,timeMs,x],...]} without spaces,
 * seq and timeMs whole numbers of at most 18 digits, the value a finite JSON number, x null or an object of numbers
 * whose names have no escapes. {@link #read} is false for any other text, which may still be valid JSON: the
 * callers then read it with a JSON parser, which decides. A hundred thousand points a second pass through here on
 * their way in ({@link PackedSeries}) and out ({@link MetricsWriter}).
 */
final class CompactPoints {
    /** Sees each point as it is read, by its spans in the text; x is "null" or the object. */
    interface Visitor {
        void point(String text, int seqStart, int valueStart, int valueEnd, long timeMillis, int xStart, int xEnd);
    }

    /** Longer numbers are left to the JSON parser, whose limits decide. */
    private static final int MAX_NUMBER = 300;

    private final String text;
    private final Visitor visitor;
    private int i;
    private int count;
    private long lastSeq;
    private long lastTime;
    private int lastValueStart;
    private int lastValueEnd;

    CompactPoints(String text, Visitor visitor) {
        this.text = text;
        this.visitor = visitor;
    }

    /** True when the whole text is points written compactly, every one of them well formed. */
    boolean read() {
        if (!next('[')) {
            return false;
        }
        if (next(']')) {
            return i == text.length();
        }
        do {
            int seqStart = i + 1;
            if (!next('[')) {
                return false;
            }
            long seq = whole();
            if (seq < 0 || !next(',')) {
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
            count++;
            lastSeq = seq;
            lastTime = time;
            lastValueStart = valueStart;
            lastValueEnd = valueEnd;
            if (visitor != null) {
                visitor.point(text, seqStart, valueStart, valueEnd, time, xStart, xEnd);
            }
        } while (next(','));
        return next(']') && i == text.length();
    }

    int count() {
        return count;
    }

    long lastSeq() {
        return lastSeq;
    }

    long lastTime() {
        return lastTime;
    }

    String lastValue() {
        return text.substring(lastValueStart, lastValueEnd);
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
