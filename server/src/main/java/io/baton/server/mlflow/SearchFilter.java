package io.baton.server.mlflow;

import io.baton.server.core.BatonException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** An MLflow search filter: the part of MLflow's grammar its client sends for the registry (docs/registry-mlflow.md). */
public record SearchFilter(List<Condition> conditions) {
    /** One comparison; {@code tag} says whether {@code key} names a tag or an attribute. */
    public record Condition(boolean tag, String key, String op, List<String> values) {
        boolean matches(Map<String, String> attributes, Map<String, String> tags) {
            String actual = tag ? tags.get(key) : attributes.get(key);
            return switch (op) {
                case "=" -> values.get(0).equals(actual);
                case "!=" -> !values.get(0).equals(actual);
                case "LIKE" -> actual != null && LikePattern.matches(values.get(0), actual, false);
                case "ILIKE" -> actual != null && LikePattern.matches(values.get(0), actual, true);
                case "IN" -> values.contains(actual);
                default -> throw new IllegalStateException("unknown operator " + op);
            };
        }
    }

    private static final Set<String> OPERATORS = Set.of("=", "!=", "LIKE", "ILIKE", "IN");

    /** Parses {@code text} (null or blank: everything) allowing only the given attributes besides tags. */
    public static SearchFilter parse(String text, Set<String> attributes) {
        if (text == null || text.isBlank()) {
            return new SearchFilter(List.of());
        }
        FilterTokens tokens = new FilterTokens(text);
        List<Condition> conditions = new ArrayList<>();
        do {
            conditions.add(condition(tokens, attributes));
        } while (tokens.takeWord("AND"));
        if (!tokens.atEnd()) {
            throw invalid(
                    text,
                    "expected AND or the end at position " + tokens.position()
                            + "; only conditions joined by AND are supported");
        }
        return new SearchFilter(List.copyOf(conditions));
    }

    public boolean matches(Map<String, String> attributes, Map<String, String> tags) {
        return conditions.stream().allMatch(c -> c.matches(attributes, tags));
    }

    /** The value of the first {@code attribute = '...'} condition, null when there is none; narrows a query. */
    public String equalTo(String attribute) {
        return conditions.stream()
                .filter(c -> !c.tag() && c.key().equals(attribute) && c.op().equals("="))
                .map(c -> c.values().get(0))
                .findFirst()
                .orElse(null);
    }

    private static Condition condition(FilterTokens tokens, Set<String> attributes) {
        String key = tokens.key();
        boolean tag = false;
        for (String prefix : List.of("tags.", "tag.")) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                tag = true;
                key = key.substring(prefix.length());
                break;
            }
        }
        if (!tag && !attributes.contains(key)) {
            throw invalid(
                    tokens.text(),
                    "'" + key + "' cannot be searched here; use "
                            + String.join(", ", attributes.stream().sorted().toList()) + " or tag.<key>");
        }
        String op = tokens.operator().toUpperCase(Locale.ROOT);
        if (!OPERATORS.contains(op) || (tag && op.equals("IN"))) {
            throw invalid(
                    tokens.text(),
                    "operator '" + op + "' is not supported for '" + key + "'; use =, !=, LIKE, ILIKE"
                            + (tag ? "" : " or IN"));
        }
        List<String> values = op.equals("IN") ? tokens.stringList() : List.of(tokens.string());
        if (op.endsWith("LIKE") && values.get(0).length() > LikePattern.MAX_LENGTH) {
            throw invalid(
                    tokens.text(), "a " + op + " pattern may have at most " + LikePattern.MAX_LENGTH + " characters");
        }
        return new Condition(tag, key, op, values);
    }

    static BatonException invalid(String text, String problem) {
        return BatonException.badRequest("invalid filter \"" + text + "\": " + problem);
    }
}
