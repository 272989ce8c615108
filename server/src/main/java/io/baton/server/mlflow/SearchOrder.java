package io.baton.server.mlflow;

import io.baton.server.core.BatonException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** MLflow's {@code order_by}: entries {@code "<field> [ASC|DESC]"}, then tie-breakers so that pages are stable. */
final class SearchOrder {
    static final Map<String, Comparator<Candidate>> MODEL_FIELDS = fields(Map.of(
            "name", Comparator.comparing(Candidate::name),
            "timestamp", Comparator.comparingLong(Candidate::createdAt),
            "creation_timestamp", Comparator.comparingLong(Candidate::createdAt),
            "last_updated_timestamp", Comparator.comparingLong(Candidate::updatedAt)));
    static final Map<String, Comparator<Candidate>> VERSION_FIELDS = fields(Map.of(
            "name", Comparator.comparing(Candidate::name),
            "version_number", Comparator.comparingInt(Candidate::version),
            "creation_timestamp", Comparator.comparingLong(Candidate::createdAt),
            "last_updated_timestamp", Comparator.comparingLong(Candidate::updatedAt)));
    static final List<String> MODEL_DEFAULT = List.of("name ASC");
    /** MLflow's own default for model versions. */
    static final List<String> VERSION_DEFAULT =
            List.of("last_updated_timestamp DESC", "name ASC", "version_number DESC");

    private SearchOrder() {}

    /** The order {@code orderBy} asks for (or {@code defaults} when empty), ending in {@code defaults}. */
    static Comparator<Candidate> parse(
            List<String> orderBy, Map<String, Comparator<Candidate>> fields, List<String> defaults) {
        List<String> entries = new ArrayList<>(orderBy == null ? List.of() : orderBy);
        entries.addAll(defaults);
        Comparator<Candidate> order = (a, b) -> 0;
        for (String entry : entries) {
            order = order.thenComparing(comparator(entry, fields));
        }
        return order;
    }

    private static Comparator<Candidate> comparator(String entry, Map<String, Comparator<Candidate>> fields) {
        String[] words = entry.trim().split("\\s+");
        String field = words[0].replace("`", "");
        Comparator<Candidate> comparator = fields.get(field);
        String direction = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "ASC";
        if (comparator == null || words.length > 2 || !(direction.equals("ASC") || direction.equals("DESC"))) {
            throw BatonException.badRequest("invalid order_by \"" + entry + "\": use one of "
                    + String.join(", ", fields.keySet()) + ", optionally followed by ASC or DESC");
        }
        return direction.equals("DESC") ? comparator.reversed() : comparator;
    }

    private static Map<String, Comparator<Candidate>> fields(Map<String, Comparator<Candidate>> fields) {
        Map<String, Comparator<Candidate>> sorted = new LinkedHashMap<>();
        fields.keySet().stream().sorted().forEach(k -> sorted.put(k, fields.get(k)));
        return sorted;
    }
}
