package io.baton.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Expansion of a step's {@code matrix:} into one step per combination. */
public final class Matrix {
    /** The most combinations one step's matrix may produce. */
    public static final int MAX_COMBINATIONS = 1000;

    private Matrix() {}

    /**
     * Every combination, in matrix order: the first key varies slowest, like nested loops written in key order.
     * An empty matrix gives one empty combination (the step runs once); a key with no values gives none.
     */
    public static List<Map<String, Object>> combinations(Map<String, List<Object>> matrix) {
        List<Map<String, Object>> result = new ArrayList<>();
        result.add(Collections.emptyMap());
        for (Map.Entry<String, List<Object>> axis : matrix.entrySet()) {
            List<Map<String, Object>> next =
                    new ArrayList<>(result.size() * Math.max(1, axis.getValue().size()));
            for (Map<String, Object> partial : result) {
                for (Object value : axis.getValue()) {
                    Map<String, Object> combination = new LinkedHashMap<>(partial);
                    combination.put(axis.getKey(), value);
                    next.add(Collections.unmodifiableMap(combination));
                }
            }
            result = next;
        }
        return List.copyOf(result);
    }

    /** {@code train[lr=0.1,depth=3]}; the base name alone for an empty combination. */
    public static String stepName(String base, Map<String, Object> combination) {
        if (combination.isEmpty()) {
            return base;
        }
        StringJoiner joiner = new StringJoiner(",", base + "[", "]");
        combination.forEach((k, v) -> joiner.add(k + "=" + Parameters.render(v)));
        return joiner.toString();
    }

    /** How many combinations a matrix has, saturating at Long.MAX_VALUE (so a huge matrix cannot overflow). */
    public static long size(Map<String, ? extends List<?>> matrix) {
        long n = 1;
        for (List<?> values : matrix.values()) {
            try {
                n = Math.multiplyExact(n, values.size());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }
}
