package io.baton.pipeline;

import static io.baton.pipeline.Abbreviation.SPEC;
import static io.baton.pipeline.Abbreviation.abbreviate;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The spec's durations: a whole number followed by one unit, e.g. {@code 500ms 30s 10m 2h 1d}. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses a duration. Zero is accepted here ({@code 0s}); callers that need a positive value check that.
     *
     * @throws IllegalArgumentException naming the text and the accepted form
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a duration is required, e.g. 30s");
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + abbreviate(text, SPEC)
                            + "' is not a duration: expected a whole number followed by ms, s, m, h or d (e.g. 500ms, 30s, 10m, 2h)");
        }
        try {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("duration '" + abbreviate(text, SPEC) + "' is too large");
        }
    }

    /** The shortest spec form of a duration ({@code 90s} -> "90s", {@code 2h} -> "2h"), for messages. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
