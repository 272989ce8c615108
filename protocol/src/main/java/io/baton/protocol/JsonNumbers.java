package io.baton.protocol;

/**
 * The JSON number grammar, read where numbers stand in a text: for the worker's reader of metric lines
 * ({@code MetricLines}) and for {@link PackedPoints}.
 */
public final class JsonNumbers {
    private JsonNumbers() {}

    /**
     * Where a number that starts at {@code start} ends, no further than {@code limit}: the index after
     * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}; -1 when none starts there. What follows it is the
     * caller's to check.
     */
    public static int end(String text, int start, int limit) {
        int i = start;
        if (i < limit && text.charAt(i) == '-') {
            i++;
        }
        if (i < limit && text.charAt(i) == '0') {
            i++;
        } else if ((i = digits(text, i, limit)) < 0) {
            return -1;
        }
        if (i < limit && text.charAt(i) == '.' && (i = digits(text, i + 1, limit)) < 0) {
            return -1;
        }
        if (i < limit && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < limit && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            i = digits(text, i, limit);
        }
        return i;
    }

    /** The end of one or more digits from {@code i}; -1 when there is none. */
    private static int digits(String text, int i, int limit) {
        int start = i;
        while (i < limit && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i > start ? i : -1;
    }

    /**
     * Whether the JSON number from {@code start} to {@code end} is finite as a double, without converting it unless
     * it could overflow: a number with no exponent and at most 300 characters always is.
     */
    public static boolean finite(String text, int start, int end) {
        if (end - start <= 300) {
            boolean exponent = false;
            for (int i = start; i < end && !exponent; i++) {
                char c = text.charAt(i);
                exponent = c == 'e' || c == 'E';
            }
            if (!exponent) {
                return true;
            }
        }
        return Double.isFinite(Double.parseDouble(text.substring(start, end)));
    }

    /** Whether the JSON number from {@code start} to {@code end} is a whole one: no fraction, no exponent. */
    public static boolean whole(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c == '.' || c == 'e' || c == 'E') {
                return false;
            }
        }
        return true;
    }

    public static boolean finite(String number) {
        return finite(number, 0, number.length());
    }
}
