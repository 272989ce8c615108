package io.baton.server.runs;

import io.baton.server.core.BatonException;

/** The order of the runs list: by creation ({@code metric} null) or by the value of a metric, with ties by id. */
public record RunSort(String metric, boolean ascending) {
    public static final RunSort NEWEST_FIRST = new RunSort(null, false);
    private static final String METRIC = "metric.";

    /** Reads {@code sort=createdAt|metric.<name>} with an optional {@code :asc} or {@code :desc} (default desc). */
    static RunSort parse(String given) {
        if (given == null) {
            return NEWEST_FIRST;
        }
        String key = given;
        boolean ascending = false;
        if (given.endsWith(":asc") || given.endsWith(":desc")) {
            ascending = given.endsWith(":asc");
            key = given.substring(0, given.lastIndexOf(':'));
        }
        if (key.equals("createdAt")) {
            return new RunSort(null, ascending);
        }
        String metric = key.startsWith(METRIC) ? key.substring(METRIC.length()) : "";
        if (metric.isEmpty() || metric.contains(":") || metric.length() > ValueFilter.MAX_NAME) {
            throw BatonException.badRequest("'sort=" + given + "' is not createdAt or metric.<name>, either followed"
                    + " by :asc or :desc (default), e.g. sort=metric.accuracy:desc");
        }
        return new RunSort(metric, ascending);
    }

    public boolean byMetric() {
        return metric != null;
    }

    /** The sort as the API writes it, e.g. {@code metric.accuracy:desc}. */
    public String text() {
        return (byMetric() ? METRIC + metric : "createdAt") + (ascending ? ":asc" : ":desc");
    }
}
