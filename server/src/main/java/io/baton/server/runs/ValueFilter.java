package io.baton.server.runs;

import io.baton.server.core.BatonException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** One {@code param=} or {@code metric=} filter of the runs list: {@code <name>:<op>:<value>}. */
public record ValueFilter(String name, Comparison op, String text, Double number) {
    public static final int MAX_NAME = 200;

    /** The ops of a filter and the SQL comparison each one is. */
    public enum Comparison {
        EQ("="),
        NE("<>"),
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">=");

        private final String sql;

        Comparison(String sql) {
            this.sql = sql;
        }

        public String sql() {
            return sql;
        }

        /** lt, le, gt and ge order values; eq and ne only match them. */
        public boolean orders() {
            return this != EQ && this != NE;
        }

        static String names() {
            return Arrays.stream(values()).map(c -> c.name().toLowerCase()).collect(Collectors.joining(", "));
        }
    }

    /** Reads {@code given}, the value of query parameter {@code query} ("param" or "metric"). */
    static ValueFilter parse(String query, String given) {
        int first = given.indexOf(':');
        int second = first < 0 ? -1 : given.indexOf(':', first + 1);
        if (second < 0) {
            throw bad(query, given, "is not <name>:<op>:<value>, e.g. " + query + "=accuracy:gt:0.9");
        }
        String name = given.substring(0, first);
        String op = given.substring(first + 1, second);
        String text = given.substring(second + 1);
        if (name.isBlank()) {
            throw bad(query, given, "has no name before the first ':'");
        }
        if (name.length() > MAX_NAME) {
            throw bad(query, given, "has a name longer than " + MAX_NAME + " characters");
        }
        Comparison comparison = Arrays.stream(Comparison.values())
                .filter(c -> c.name().toLowerCase().equals(op))
                .findFirst()
                .orElseThrow(
                        () -> bad(query, given, "has the unknown op '" + op + "'; use one of " + Comparison.names()));
        if (text.isEmpty()) {
            throw bad(query, given, "has no value after the op");
        }
        return new ValueFilter(name, comparison, text, RunParameters.decimal(text));
    }

    static BatonException bad(String query, String given, String what) {
        return BatonException.badRequest("'" + query + "=" + given + "' " + what);
    }
}
