package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.math.BigDecimal;

/**
 * Decimal numbers read from text with a bounded cost: at most {@link #MAX_CHARS} characters and a magnitude within
 * 10^±{@link #MAX_EXPONENT} ({@code 1e30000000} as a BigDecimal costs minutes of CPU to print).
 */
public final class Numbers {
    public static final int MAX_CHARS = 100;
    public static final int MAX_EXPONENT = 400;

    private Numbers() {}

    /**
     * The decimal number {@code text} is, or null when it is not a decimal number.
     *
     * @throws IllegalArgumentException when it is one, but too long or too large or small to be used
     */
    public static BigDecimal decimal(String text) {
        String t = text.trim();
        if (t.length() > MAX_CHARS) {
            if (t.chars().allMatch(c -> Character.isDigit(c) || "+-.eE_".indexOf(c) >= 0)) {
                throw new IllegalArgumentException(
                        "the number '" + abbreviate(t, SPEC) + "' has more than " + MAX_CHARS + " characters");
            }
            return null;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(t);
        } catch (NumberFormatException e) {
            return null;
        }
        return bounded(number, t);
    }

    /** {@code number} itself when its magnitude is within 10^±{@link #MAX_EXPONENT} (or it is zero). */
    public static BigDecimal bounded(BigDecimal number, String asWritten) {
        if (number.signum() == 0) {
            return number;
        }
        // precision - scale is the number of digits before the point: 1 for 1e0, 30000001 for 1e30000000.
        long magnitude = (long) number.precision() - number.scale();
        if (magnitude > MAX_EXPONENT || magnitude < -MAX_EXPONENT || number.precision() > MAX_CHARS) {
            throw new IllegalArgumentException("the number '" + abbreviate(asWritten, SPEC) + "' is out of range:"
                    + " numbers must be within 1e-" + MAX_EXPONENT + " and 1e" + MAX_EXPONENT);
        }
        return number;
    }
}
