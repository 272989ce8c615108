package io.baton.server.runs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SQL of one page of the runs list. Each parameter and metric filter joins its row of {@code run_parameters}
 * or {@code run_metrics} (at most one per run: (run_id, name) is their key), so the indexes on (name, value, run_id)
 * serve it; sorted by a metric, the page is read along that index from the cursor on.
 */
final class RunListQuery {
    private final StringBuilder joins = new StringBuilder();
    private final StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    private final Map<String, Object> binds = new LinkedHashMap<>();
    private final RunSort sort;
    private final int limit;

    /** The first {@code limit} runs after {@code after} (null: from the start). */
    RunListQuery(RunQueries.RunFilter filter, RunSearch search, RunCursor after, int limit) {
        this.sort = search.sort();
        this.limit = limit;
        if (sort.byMetric()) {
            joins.append(" JOIN run_metrics s ON s.run_id = r.id AND s.name = :sortName");
            binds.put("sortName", sort.metric());
        }
        condition("project", "r.project = :project", filter.project());
        condition("pipeline", "r.pipeline = :pipeline", filter.pipeline());
        condition("status", "r.status = :status", filter.status());
        condition("createdBy", "r.created_by = :createdBy", filter.createdBy());
        condition(
                "since",
                "r.created_at >= :since",
                filter.since() == null ? null : filter.since().toEpochMilli());
        condition(
                "until",
                "r.created_at < :until",
                filter.until() == null ? null : filter.until().toEpochMilli());
        for (int i = 0; i < search.params().size(); i++) {
            ValueFilter f = search.params().get(i);
            String column = f.number() == null ? "value_text" : "value_number";
            join("run_parameters", "p" + i, f, column);
        }
        for (int i = 0; i < search.metrics().size(); i++) {
            ValueFilter f = search.metrics().get(i);
            if (f.name().equals(sort.metric())) { // bounds the range read along the sort's index
                where.append(" AND s.metric_value ")
                        .append(f.op().sql())
                        .append(" :m")
                        .append(i);
                binds.put("m" + i, f.number());
            } else {
                join("run_metrics", "m" + i, f, "metric_value");
            }
        }
        if (after != null) {
            after(after);
        }
    }

    String sql() {
        String direction = sort.ascending() ? " ASC" : " DESC";
        return "SELECT r.*" + (sort.byMetric() ? ", s.metric_value AS sort_value" : "") + " FROM runs r" + joins + where
                + (sort.byMetric()
                        ? " ORDER BY s.metric_value" + direction + ", s.run_id" + direction
                        : " ORDER BY r.id" + direction)
                + " LIMIT " + limit;
    }

    Map<String, Object> binds() {
        return binds;
    }

    private void condition(String name, String clause, Object value) {
        if (value != null) {
            where.append(" AND ").append(clause);
            binds.put(name, value);
        }
    }

    private void join(String table, String alias, ValueFilter f, String column) {
        joins.append(" JOIN ")
                .append(table)
                .append(' ')
                .append(alias)
                .append(" ON ")
                .append(alias)
                .append(".run_id = r.id AND ")
                .append(alias)
                .append(".name = :")
                .append(alias)
                .append("Name AND ")
                .append(alias)
                .append('.')
                .append(column)
                .append(' ')
                .append(f.op().sql())
                .append(" :")
                .append(alias);
        binds.put(alias + "Name", f.name());
        binds.put(alias, f.number() == null ? f.text() : f.number());
    }

    /** Strictly after the cursor's (value, id) in the sort's order. */
    private void after(RunCursor cursor) {
        String past = sort.ascending() ? " > " : " < ";
        binds.put("afterId", cursor.id());
        if (sort.byMetric()) {
            where.append(" AND (s.metric_value")
                    .append(past)
                    .append(":afterValue OR (s.metric_value = :afterValue AND")
                    .append(" s.run_id")
                    .append(past)
                    .append(":afterId))");
            binds.put("afterValue", cursor.value());
        } else {
            where.append(" AND r.id").append(past).append(":afterId");
        }
    }
}
