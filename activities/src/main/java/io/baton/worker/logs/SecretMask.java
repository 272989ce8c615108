package io.baton.worker.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces the values of a step's secrets with {@link #MASK} in its output, line by line; a value of several lines is
 * masked line by line as well. Which parts of the output this covers: docs/security.md, "Secrets".
 */
public final class SecretMask {
    public static final String MASK = "***";
    public static final SecretMask NONE = new SecretMask(List.of());

    /** Lines of a multi-line value shorter than this are not masked alone: "}" or "" would mask half the output. */
    static final int MIN_LINE_OF_VALUE = 4;
    /** A cut inside a line keeps back at most this many bytes that may begin a value. */
    static final int MAX_HELD_BACK = 16 * 1024;

    /** What is masked, longest first, so that a value that holds another one is masked whole. */
    private final List<String> values;

    private final List<byte[]> bytes;

    private SecretMask(List<String> values) {
        this.values = values;
        this.bytes =
                values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
    }

    public static SecretMask of(Collection<String> secretValues) {
        Set<String> masked = new LinkedHashSet<>();
        for (String value : secretValues) {
            if (value == null || value.isEmpty()) {
                continue;
            }
            masked.add(value);
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                for (String line : value.split("\r?\n|\r")) {
                    if (line.length() >= MIN_LINE_OF_VALUE) {
                        masked.add(line);
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>(masked);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return sorted.isEmpty() ? NONE : new SecretMask(List.copyOf(sorted));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** {@code text} with every occurrence of every value replaced by {@link #MASK}. */
    public String mask(String text) {
        String masked = text;
        for (String value : values) {
            if (masked.contains(value)) {
                masked = masked.replace(value, MASK);
            }
        }
        return masked;
    }

    /**
     * How many bytes at the end of {@code buffer[0, size)} may be the beginning of a value (the longest such end,
     * at most {@link #MAX_HELD_BACK}): a line cut there would split the value, so those bytes wait for the rest.
     */
    int heldBack(byte[] buffer, int size) {
        int held = 0;
        for (byte[] value : bytes) {
            int longest = Math.min(Math.min(value.length - 1, size), MAX_HELD_BACK);
            for (int k = longest; k > held; k--) {
                if (startsWithEnd(value, buffer, size, k)) {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }

    /** Whether the last {@code k} bytes of {@code buffer[0, size)} are the first {@code k} of {@code value}. */
    private static boolean startsWithEnd(byte[] value, byte[] buffer, int size, int k) {
        for (int i = 0; i < k; i++) {
            if (buffer[size - k + i] != value[i]) {
                return false;
            }
        }
        return true;
    }
}
