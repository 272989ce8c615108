package io.baton.server.mlflow;

import io.baton.server.core.BatonException;
import io.baton.server.mlflow.MlflowTracking.Ranked;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code order_by} of {@code runs/search}: {@code metrics.<key>}, {@code params.<key>}, {@code tags.<key>} or an
 * attribute ({@code start_time}, {@code end_time}, {@code run_name}, {@code status}, {@code run_id}), each with ASC or
 * DESC; runs without the value come last. Ties: newest start first, then run id.
 */
final class RunOrder {
    private RunOrder() {}

    static Comparator<Ranked> parse(List<String> orderBy) {
        List<String> entries = new ArrayList<>(orderBy == null ? List.of() : orderBy);
        entries.add("start_time DESC");
        entries.add("run_id ASC");
        Comparator<Ranked> order = (a, b) -> 0;
        for (String entry : entries) {
            order = order.thenComparing(comparator(entry));
        }
        return order;
    }

    private static Comparator<Ranked> comparator(String entry) {
        String[] words = entry.trim().split("\\s+");
        String field = words[0].replace("`", "");
        String direction = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "ASC";
        if (words.length > 2 || !(direction.equals("ASC") || direction.equals("DESC"))) {
            throw invalid(entry);
        }
        boolean desc = direction.equals("DESC");
        int dot = field.indexOf('.');
        String prefix = dot > 0 ? field.substring(0, dot).toLowerCase(Locale.ROOT) : "attributes";
        String key = dot > 0 ? field.substring(dot + 1) : field;
        return switch (prefix) {
            case "metric", "metrics" -> by(r -> r.metrics().get(key), desc);
            case "param", "params" -> by(r -> r.params().get(key), desc);
            case "tag", "tags" -> by(r -> r.tags().get(key), desc);
            case "attribute", "attributes", "attr", "run" ->
                switch (key) {
                    case "start_time" -> by(r -> r.run().info().startTime(), desc);
                    case "end_time" -> by(r -> r.run().info().endTime(), desc);
                    case "run_name" -> by(r -> r.run().info().runName(), desc);
                    case "status" -> by(r -> r.run().info().status(), desc);
                    case "run_id" -> by(r -> r.run().info().runId(), desc);
                    default -> throw invalid(entry);
                };
            default -> throw invalid(entry);
        };
    }

    /** Nulls last in either direction. */
    private static <T extends Comparable<T>> Comparator<Ranked> by(Function<Ranked, T> value, boolean desc) {
        Comparator<T> natural = desc ? Comparator.<T>reverseOrder() : Comparator.<T>naturalOrder();
        return Comparator.comparing(value, Comparator.nullsLast(natural));
    }

    private static BatonException invalid(String entry) {
        return BatonException.badRequest("invalid order_by \"" + entry + "\": use metrics.<key>, params.<key>,"
                + " tags.<key>, start_time, end_time, run_name, status or run_id, optionally followed by ASC or DESC");
    }
}
