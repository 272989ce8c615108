package io.baton.server.schedules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a cron expression before Temporal sees it: five fields (minute, hour, day of month, month, day of week),
 * each a list of {@code *}, values, ranges and steps, names for months and days, or a macro such as {@code @daily}.
 */
public final class CronExpressions {
    private static final Map<String, String> MACRO_EXPRESSIONS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final Set<String> MACROS = MACRO_EXPRESSIONS.keySet();
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    private static final Pattern ITEM = Pattern.compile("(\\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/([0-9]+))?");

    private record Field(String name, int min, int max, List<String> names) {}

    private static final List<Field> FIELDS = List.of(
            new Field("minute", 0, 59, List.of()),
            new Field("hour", 0, 23, List.of()),
            new Field("day of month", 1, 31, List.of()),
            new Field("month", 1, 12, MONTHS),
            new Field("day of week", 0, 7, DAYS));

    private CronExpressions() {}

    /**
     * The expression, trimmed, when Temporal can run it.
     *
     * @throws IllegalArgumentException saying which field is wrong and what it accepts
     */
    public static String check(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("'cron' is empty; expected five fields such as \"0 3 * * *\"");
        }
        String cron = expression.trim();
        if (cron.length() > 200) {
            throw new IllegalArgumentException("'cron' is longer than 200 characters");
        }
        if (cron.startsWith("@")) {
            if (!MACROS.contains(cron.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'" + cron + "' is not a cron macro: expected one of "
                        + String.join(", ", MACROS.stream().sorted().toList()) + " (for intervals use 'every')");
            }
            return cron.toLowerCase(Locale.ROOT);
        }
        String[] parts = cron.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("'" + cron + "' has " + parts.length + " fields; a cron expression has"
                    + " five: minute hour day-of-month month day-of-week, e.g. \"0 3 * * *\"");
        }
        for (int i = 0; i < 5; i++) {
            field(FIELDS.get(i), parts[i], cron);
        }
        return String.join(" ", parts);
    }

    /** The values the field matches (day of week 7 is Sunday, 0). */
    private static BitSet field(Field f, String text, String cron) {
        BitSet values = new BitSet();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw bad(f, text, cron, "'" + item + "' is not *, a value, a range a-b or a step x/n");
            }
            int step = 1;
            if (m.group(2) != null) {
                step = number(f, m.group(2), text, cron, Integer.MAX_VALUE);
                if (step < 1 || step > f.max()) {
                    throw bad(f, text, cron, "the step " + m.group(2) + " must be 1 to " + f.max());
                }
            }
            int from = f.min();
            int to = f.max();
            if (!m.group(1).equals("*")) {
                String[] range = m.group(1).split("-");
                from = value(f, range[0], text, cron);
                to = range.length == 2 ? value(f, range[1], text, cron) : m.group(2) != null ? f.max() : from;
                if (to < from) {
                    throw bad(f, text, cron, "the range " + m.group(1) + " ends before it starts");
                }
            }
            for (int v = from; v <= to; v += step) {
                values.set(f.max() == 7 && v == 7 ? 0 : v);
            }
        }
        return values;
    }

    /**
     * How many times {@code cron} fires in [from, to) in {@code zone}, counting up to {@code limit} + 1 (a backfill's
     * bound); a range longer than a year counts as over any limit.
     */
    public static long fires(String cron, ZoneId zone, Instant from, Instant to, long limit) {
        if (Duration.between(from, to).toDays() > 366) {
            return limit + 1;
        }
        String expression = MACRO_EXPRESSIONS.getOrDefault(cron, cron);
        String[] parts = expression.split("\\s+");
        List<BitSet> fields = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fields.add(field(FIELDS.get(i), parts[i], cron));
        }
        boolean anyDay = parts[2].equals("*") || parts[4].equals("*");
        long count = 0;
        ZonedDateTime t = from.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        if (t.toInstant().isBefore(from)) {
            t = t.plusMinutes(1);
        }
        for (; t.toInstant().isBefore(to) && count <= limit; t = t.plusMinutes(1)) {
            boolean dom = fields.get(2).get(t.getDayOfMonth());
            boolean dow = fields.get(4).get(t.getDayOfWeek().getValue() % 7);
            boolean day = anyDay ? dom && dow : dom || dow; // both restricted: either matches, as cron has it
            if (day
                    && fields.get(3).get(t.getMonthValue())
                    && fields.get(1).get(t.getHour())
                    && fields.get(0).get(t.getMinute())) {
                count++;
            }
        }
        return count;
    }

    private static int value(Field f, String token, String text, String cron) {
        int named = f.names().indexOf(token.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return f.names() == MONTHS ? named + 1 : named;
        }
        return number(f, token, text, cron, f.max());
    }

    private static int number(Field f, String token, String text, String cron, int max) {
        int n;
        try {
            n = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw bad(
                    f,
                    text,
                    cron,
                    "'" + token + "' is not a number" + (f.names().isEmpty() ? "" : " or a name"));
        }
        if (max != Integer.MAX_VALUE && (n < f.min() || n > f.max())) {
            throw bad(f, text, cron, token + " is outside " + f.min() + "-" + f.max());
        }
        return n;
    }

    private static IllegalArgumentException bad(Field f, String text, String cron, String why) {
        String names = f.names().isEmpty()
                ? ""
                : " or " + f.names().get(0) + "-" + f.names().get(f.names().size() - 1);
        return new IllegalArgumentException("cron '" + cron + "': the " + f.name() + " field '" + text + "' is wrong: "
                + why + " (" + f.name() + " takes " + f.min() + "-" + f.max() + names + ", '*', lists a,b,"
                + " ranges a-b and steps */n)");
    }
}
