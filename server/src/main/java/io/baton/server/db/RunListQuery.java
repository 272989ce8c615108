package io.baton.server.db;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;

/** The SQL of one page of the runs list, built from its filters, sort and cursor. */
public final class RunListQuery {
    /** Filters on a run's own columns (times in epoch milliseconds); null means no filter. */
    public record Filter(
            String project,
            String pipeline,
            String status,
            String createdBy,
            Long since,
            Long until,
            List<String> projects) {}

    /** A parameter or metric filter: its name, an SQL comparison, and the value as a number or (else) as text. */
    public record Condition(String name, String comparison, Double number, String text) {}

    /** By creation ({@code metric} null) or by the value of a metric, with ties by id. */
    public record Sort(String metric, boolean ascending) {
        boolean byMetric() {
            return metric != null;
        }
    }

    /** Where the previous page ended: its last run's sort value (null when sorted by creation) and id. */
    public record After(Double value, String id) {}

    /** A run of a page and the value it is sorted by (null when sorted by creation). */
    public record Ranked(RunRow run, Double sortValue) {}

    private final StringBuilder joins = new StringBuilder();
    private final StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    private final Map<String, Object> binds = new LinkedHashMap<>();
    private final Sort sort;
    private final int limit;

    /** The first {@code limit} runs after {@code after} (null: from the start). */
    public RunListQuery(
            Filter filter, List<Condition> params, List<Condition> metrics, Sort sort, After after, int limit) {
        this.sort = sort;
        this.limit = limit;
        if (sort.byMetric()) {
            joins.append(" JOIN run_metrics s ON s.run_id = r.id AND s.name = :sortName");
            binds.put("sortName", sort.metric());
        }
        condition("project", "r.project = :project", filter.project());
        if (filter.projects() != null) { // the projects the caller may read
            if (filter.projects().isEmpty()) {
                where.append(" AND 1 = 0");
            } else {
                where.append(" AND r.project IN (");
                for (int i = 0; i < filter.projects().size(); i++) {
                    where.append(i == 0 ? ":readable" : ", :readable").append(i);
                    binds.put("readable" + i, filter.projects().get(i));
                }
                where.append(')');
            }
        }
        condition("pipeline", "r.pipeline = :pipeline", filter.pipeline());
        condition("status", "r.status = :status", filter.status());
        condition("createdBy", "r.created_by = :createdBy", filter.createdBy());
        condition("since", "r.created_at >= :since", filter.since());
        condition("until", "r.created_at < :until", filter.until());
        for (int i = 0; i < params.size(); i++) {
            Condition f = params.get(i);
            String column = f.number() == null ? "value_text" : "value_number";
            join("run_parameters", "p" + i, f, column);
        }
        for (int i = 0; i < metrics.size(); i++) {
            Condition f = metrics.get(i);
            if (f.name().equals(sort.metric())) { // bounds the range read along the sort's index
                where.append(" AND s.metric_value ")
                        .append(f.comparison())
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

    /** The page's runs, each with its sort value. */
    public List<Ranked> list(Handle h) {
        RowMapper<RunRow> runs = ConstructorMapper.of(RunRow.class);
        Query q = h.createQuery(sql());
        binds.forEach(q::bind);
        return q.map((rs, ctx) -> new Ranked(runs.map(rs, ctx), sort.byMetric() ? rs.getDouble("sort_value") : null))
                .list();
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

    private void join(String table, String alias, Condition f, String column) {
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
                .append(f.comparison())
                .append(" :")
                .append(alias);
        binds.put(alias + "Name", f.name());
        binds.put(alias, f.number() == null ? f.text() : f.number());
    }

    /** Strictly after the cursor's (value, id) in the sort's order. */
    private void after(After cursor) {
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
