package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory quantities as in Kubernetes: a number and an optional unit, {@code Ki Mi Gi Ti} (powers of 1024) or
 * {@code K M G T} (powers of 1000); no unit means bytes. {@code 1.5Gi} is allowed as long as it is a whole number
 * of bytes.
 */
public final class Quantities {
    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?");

    private Quantities() {}

    /** @throws IllegalArgumentException for anything else, a fraction of a byte, or more than Long.MAX_VALUE */
    public static long parseBytes(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a quantity is required, e.g. 512Mi");
        }
        Matcher m = QUANTITY.matcher(text.trim());
        if (text.trim().length() > Numbers.MAX_CHARS) { // a number of a million digits costs seconds to read
            throw new IllegalArgumentException("memory quantity '" + abbreviate(text, SPEC) + "' is too large");
        }
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + abbreviate(text, SPEC)
                    + "' is not a memory quantity: expected a number with an optional unit Ki, Mi, Gi, Ti (1024-based)"
                    + " or K, M, G, T (1000-based), e.g. 512Mi, 2Gi, 1G, 1000");
        }
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier(m.group(2))));
        try {
            return bytes.stripTrailingZeros().toBigIntegerExact().longValueExact();
        } catch (ArithmeticException e) {
            boolean fraction = bytes.stripTrailingZeros().scale() > 0;
            throw new IllegalArgumentException(
                    "memory quantity '" + text + "' is " + (fraction ? "not a whole number of bytes" : "too large"));
        }
    }

    private static long multiplier(String unit) {
        if (unit == null) {
            return 1;
        }
        return switch (unit) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "K" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            default -> 1_000_000_000_000L;
        };
    }
}
