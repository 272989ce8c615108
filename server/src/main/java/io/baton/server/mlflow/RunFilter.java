package io.baton.server.mlflow;

import io.baton.server.mlflow.TrackingMessages.Run;
import io.baton.server.mlflow.TrackingMessages.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A filter of {@code runs/search}: conditions joined by AND on {@code metrics.<key>} (compared as numbers),
 * {@code params.<key>}, {@code tags.<key>} and the attributes {@code run_id}, {@code run_name}, {@code status},
 * {@code start_time}, {@code end_time} (docs/mlflow.md).
 */
record RunFilter(List<Condition> conditions) {
    private static final Set<String> TEXT_ATTRIBUTES = Set.of("run_id", "run_name", "status");
    private static final Set<String> TIME_ATTRIBUTES = Set.of("start_time", "end_time");
    private static final Set<String> NUMBER_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> TEXT_OPS = Set.of("=", "!=", "LIKE", "ILIKE", "IN");

    /** {@code kind}: metric, param, tag or attribute. */
    record Condition(String kind, String key, String op, List<String> values, double number) {
        boolean matches(Run run, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {
            return switch (kind) {
                case "metric" -> compare(metrics.get(key));
                case "param" -> text(params.get(key));
                case "tag" -> text(tags.get(key));
                default -> TIME_ATTRIBUTES.contains(key) ? compare(time(run.info(), key)) : text(attribute(run, key));
            };
        }

        private boolean compare(Double actual) {
            if (actual == null) {
                return false;
            }
            int c = Double.compare(actual, number);
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }

        private boolean text(String actual) {
            if (actual == null) {
                return false;
            }
            return switch (op) {
                case "=" -> values.get(0).equals(actual);
                case "!=" -> !values.get(0).equals(actual);
                case "LIKE" -> LikePattern.matches(values.get(0), actual, false);
                case "ILIKE" -> LikePattern.matches(values.get(0), actual, true);
                default -> values.contains(actual);
            };
        }

        private static Double time(RunInfo info, String key) {
            Long t = key.equals("start_time") ? info.startTime() : info.endTime();
            return t == null ? null : t.doubleValue();
        }

        private static String attribute(Run run, String key) {
            return switch (key) {
                case "run_id" -> run.info().runId();
                case "run_name" -> run.info().runName();
                default -> run.info().status();
            };
        }
    }

    static RunFilter parse(String text) {
        if (text == null || text.isBlank()) {
            return new RunFilter(List.of());
        }
        FilterTokens tokens = new FilterTokens(text);
        List<Condition> conditions = new ArrayList<>();
        do {
            conditions.add(condition(tokens));
        } while (tokens.takeWord("AND"));
        if (!tokens.atEnd()) {
            throw SearchFilter.invalid(
                    text,
                    "expected AND or the end at position " + tokens.position()
                            + "; only conditions joined by AND are supported");
        }
        return new RunFilter(List.copyOf(conditions));
    }

    boolean matches(Run run, Map<String, Double> metrics, Map<String, String> params, Map<String, String> tags) {
        return conditions.stream().allMatch(c -> c.matches(run, metrics, params, tags));
    }

    private static Condition condition(FilterTokens tokens) {
        String key = tokens.key();
        String kind = "attribute";
        int dot = key.indexOf('.');
        if (dot > 0 && dot < key.length() - 1) {
            String prefix = key.substring(0, dot).toLowerCase(Locale.ROOT);
            kind = switch (prefix) {
                case "metric", "metrics" -> "metric";
                case "param", "params", "parameter", "parameters" -> "param";
                case "tag", "tags" -> "tag";
                case "attribute", "attributes", "attr", "run" -> "attribute";
                default ->
                    throw SearchFilter.invalid(
                            tokens.text(),
                            "'" + key + "': use metrics.<key>, params.<key>, tags.<key> or an attribute");
            };
            key = key.substring(dot + 1);
        }
        if (kind.equals("attribute") && !TEXT_ATTRIBUTES.contains(key) && !TIME_ATTRIBUTES.contains(key)) {
            throw SearchFilter.invalid(
                    tokens.text(),
                    "'" + key + "' cannot be searched; the attributes are run_id, run_name, status, start_time and"
                            + " end_time");
        }
        boolean numeric = kind.equals("metric") || TIME_ATTRIBUTES.contains(key);
        String op = tokens.comparison().toUpperCase(Locale.ROOT);
        if (numeric) {
            if (!NUMBER_OPS.contains(op)) {
                throw SearchFilter.invalid(
                        tokens.text(),
                        "operator '" + op + "' does not compare '" + key + "'; use =, !=, <, <=, > or >=");
            }
            return new Condition(kind, key, op, List.of(), tokens.number());
        }
        if (!TEXT_OPS.contains(op) || (op.equals("IN") && !kind.equals("attribute"))) {
            throw SearchFilter.invalid(
                    tokens.text(),
                    "operator '" + op + "' is not supported for '" + key + "'; use =, !=, LIKE, ILIKE"
                            + (kind.equals("attribute") ? " or IN" : ""));
        }
        List<String> values = op.equals("IN") ? tokens.stringList() : List.of(tokens.string());
        if (op.endsWith("LIKE") && values.get(0).length() > LikePattern.MAX_LENGTH) {
            throw SearchFilter.invalid(
                    tokens.text(), "a " + op + " pattern may have at most " + LikePattern.MAX_LENGTH + " characters");
        }
        return new Condition(kind, key, op, values, 0);
    }
}
