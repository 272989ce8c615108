package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.server.api.Page;
import io.baton.server.api.RunView;
import io.baton.server.core.Json;
import io.baton.server.runs.RunParameters;
import io.baton.server.runs.RunQueries;
import io.baton.server.runs.RunSearch;
import io.baton.server.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The runs list's param=, metric= and sort= on H2 (local mode) and MariaDB: every page of a query, read by cursor
 * a few runs at a time, together hold exactly the runs the filters select, in the sort's order, ties by id.
 */
class RunsSearchDatabaseTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final List<Fixture> RUNS =
            IntStream.range(0, 60).mapToObj(RunsSearchDatabaseTest::fixture).toList();
    private static TestDatabase mariadb;
    private static final Map<String, Jdbi> DATABASES = new LinkedHashMap<>();

    /** A run as the test made it: its parameters and the last value of each metric. */
    record Fixture(
            String id,
            String project,
            String createdBy,
            long createdAt,
            Map<String, Object> params,
            Map<String, Double> metrics) {
        double metric(String name) {
            return metrics.get(name);
        }

        double number(String param) {
            return ((Number) params.get(param)).doubleValue();
        }
    }

    private static Fixture fixture(int i) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("lr", (i % 10) * 0.01);
        params.put("depth", (long) (i % 4 + 1));
        params.put("model", i % 3 == 0 ? "forest" : "tree");
        params.put("flag", i % 2 == 0);
        params.put("version", Integer.toString(i % 3)); // a string parameter written as a number
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (i % 5 != 0) {
            metrics.put("accuracy", (i % 7) / 10.0); // many ties
        }
        if (i % 6 != 0) {
            metrics.put("loss", 1.0 / (i + 1));
        }
        return new Fixture(
                String.format("run-%03d", i),
                i < 45 ? "search" : "other",
                i % 4 == 0 ? "bob" : "alice",
                T0 + i * 1000L,
                params,
                metrics);
    }

    @BeforeAll
    static void seedDatabases() throws Exception {
        mariadb = TestDatabase.create();
        DATABASES.put("h2", seeded(h2Url(), "sa", ""));
        DATABASES.put("mariadb", seeded(mariadb.url(), mariadb.user(), mariadb.password()));
    }

    @AfterAll
    static void dropMariaDb() throws Exception {
        mariadb.owner().close();
    }

    static Stream<String> databases() {
        return Stream.of("h2", "mariadb");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void sortedByAMetricPagesHoldEveryRunThatHasItOnceInValueThenIdOrder(String database) {
        assertThat(allPages(database, filter(null), List.of(), List.of(), "metric.accuracy", 4))
                .containsExactlyElementsOf(
                        expected(r -> r.metrics.containsKey("accuracy"), byMetric("accuracy", false)));
        assertThat(allPages(database, filter(null), List.of(), List.of(), "metric.loss:asc", 7))
                .containsExactlyElementsOf(expected(r -> r.metrics.containsKey("loss"), byMetric("loss", true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void metricAndStringParameterFiltersCombineWithProjectAndAMetricSort(String database) {
        assertThat(allPages(
                        database,
                        filter("search"),
                        List.of("model:eq:tree"),
                        List.of("accuracy:ge:0.3"),
                        "metric.accuracy:asc",
                        3))
                .containsExactlyElementsOf(expected(
                        r -> r.project.equals("search")
                                && r.params.get("model").equals("tree")
                                && r.metrics.containsKey("accuracy")
                                && r.metric("accuracy") >= 0.3,
                        byMetric("accuracy", true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void numericParameterRangesAndAnotherMetricFilterInCreationOrder(String database) {
        assertThat(allPages(
                        database,
                        filter(null),
                        List.of("lr:gt:0.04", "lr:le:0.08"),
                        List.of("loss:lt:0.05"),
                        "createdAt:asc",
                        2))
                .containsExactlyElementsOf(expected(
                        r -> r.number("lr") > 0.04
                                && r.number("lr") <= 0.08
                                && r.metrics.containsKey("loss")
                                && r.metric("loss") < 0.05,
                        Comparator.comparing(Fixture::id)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void booleansMatchAsTextAndNumericStringsMatchAsNumbers(String database) {
        assertThat(allPages(
                        database,
                        filter(null),
                        List.of("flag:eq:true", "version:eq:2.0"),
                        List.of(),
                        "metric.loss:desc",
                        5))
                .containsExactlyElementsOf(expected(
                        r -> r.params.get("flag").equals(true)
                                && r.params.get("version").equals("2")
                                && r.metrics.containsKey("loss"),
                        byMetric("loss", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void notEqualMatchesRunsThatHaveTheValueOtherwiseNewestFirst(String database) {
        assertThat(allPages(database, filter(null), List.of("model:ne:tree"), List.of("accuracy:ne:0"), null, 3))
                .containsExactlyElementsOf(expected(
                        r -> !r.params.get("model").equals("tree")
                                && r.metrics.containsKey("accuracy")
                                && r.metric("accuracy") != 0,
                        Comparator.comparing(Fixture::id).reversed()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void filterOnTheSortedMetricBoundsItWithOtherFiltersAndCreatorAndTimes(String database) {
        RunQueries.RunFilter window = new RunQueries.RunFilter(
                null, null, "QUEUED", "alice", Instant.ofEpochMilli(T0 + 5_000), Instant.ofEpochMilli(T0 + 50_000));
        assertThat(allPages(
                        database,
                        window,
                        List.of("depth:ge:2"),
                        List.of("accuracy:lt:0.5", "loss:gt:0.02"),
                        "metric.accuracy:desc",
                        2))
                .containsExactlyElementsOf(expected(
                        r -> r.createdBy.equals("alice")
                                && r.createdAt >= T0 + 5_000
                                && r.createdAt < T0 + 50_000
                                && r.number("depth") >= 2
                                && r.metrics.containsKey("accuracy")
                                && r.metric("accuracy") < 0.5
                                && r.metrics.containsKey("loss")
                                && r.metric("loss") > 0.02,
                        byMetric("accuracy", false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void backfillGivesRunsFromBeforeTheParameterTableTheRowsNewRunsGet(String database) throws Exception {
        TestDatabase fresh = database.equals("mariadb") ? TestDatabase.create() : null;
        String url = fresh == null ? h2Url() : fresh.url();
        String user = fresh == null ? "sa" : fresh.user();
        String password = fresh == null ? "" : fresh.password();
        try {
            Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("classpath:db/migration")
                    .target("4")
                    .load()
                    .migrate();
            Jdbi jdbi = Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
            List<Fixture> earlier = RUNS.subList(0, 7);
            // as V1 to V4 wrote runs, before run_parameters existed
            earlier.forEach(r -> jdbi.useHandle(h -> h.createUpdate("INSERT INTO runs (id, project, pipeline, status,"
                            + " workflow_id, spec, spec_sha256, parameters, plan, priority, created_by, created_at) VALUES (:id,"
                            + " 'p', 'pipe', 'SUCCEEDED', :id, 'name: pipe', :sha, :parameters, '{}', 3, 'alice', 0)")
                    .bind("id", r.id)
                    .bind("sha", "0".repeat(64))
                    .bind("parameters", Json.write(r.params))
                    .execute()));
            Flyway.configure()
                    .dataSource(url, user, password)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();

            for (Fixture r : earlier) {
                List<RunParameterRow> stored = jdbi.withHandle(h -> h.createQuery(
                                "SELECT name, value_number, value_text" + " FROM run_parameters WHERE run_id = :id")
                        .bind("id", r.id)
                        .map((rs, ctx) -> new RunParameterRow(
                                rs.getString(1), (Double) rs.getObject(2, Double.class), rs.getString(3)))
                        .list());
                assertThat(stored).as(r.id).containsExactlyInAnyOrderElementsOf(RunParameters.rows(r.params));
            }
            assertThat(new RunQueries(jdbi, "", "default")
                            .list(filter(null), RunSearch.parse(List.of("model:eq:forest"), List.of(), null), null, 50)
                            .items())
                    .extracting(RunView::id)
                    .containsExactly("run-006", "run-003", "run-000");
        } finally {
            if (fresh != null) {
                fresh.owner().close();
            }
        }
    }

    private static List<String> allPages(
            String database,
            RunQueries.RunFilter filter,
            List<String> params,
            List<String> metrics,
            String sort,
            int limit) {
        RunQueries views = new RunQueries(DATABASES.get(database), "", "default");
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            Page<RunView> page = views.list(filter, RunSearch.parse(params, metrics, sort), cursor, limit);
            assertThat(page.items().size()).isLessThanOrEqualTo(limit);
            page.items().forEach(run -> ids.add(run.id()));
            cursor = page.nextCursor();
            assertThat(cursor == null || page.items().size() == limit)
                    .as("only a full page has a next page")
                    .isTrue();
        } while (cursor != null && ids.size() <= RUNS.size());
        return ids;
    }

    private static List<String> expected(Predicate<Fixture> selected, Comparator<Fixture> order) {
        List<String> ids =
                RUNS.stream().filter(selected).sorted(order).map(Fixture::id).toList();
        assertThat(ids).as("a query the test data answers with several pages").hasSizeGreaterThan(3);
        return ids;
    }

    private static Comparator<Fixture> byMetric(String name, boolean ascending) {
        Comparator<Fixture> order =
                Comparator.comparingDouble((Fixture r) -> r.metric(name)).thenComparing(Fixture::id);
        return ascending ? order : order.reversed();
    }

    private static RunQueries.RunFilter filter(String project) {
        return new RunQueries.RunFilter(project, null, null, null, null, null);
    }

    private static String h2Url() {
        return "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
    }

    private static Jdbi seeded(String url, String user, String password) {
        Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        Jdbi jdbi = Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
        jdbi.useTransaction(h -> {
            for (Fixture r : RUNS) {
                h.attach(RunDao.class)
                        .insert(new RunRow(
                                r.id,
                                r.project,
                                "pipe",
                                null,
                                "QUEUED",
                                "run-" + r.id,
                                null,
                                "name: pipe",
                                "0".repeat(64),
                                Json.write(r.params),
                                "{}",
                                3,
                                r.createdBy,
                                r.createdAt,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null));
                RunParameters.insert(h, r.id, r.params);
                r.metrics.forEach(
                        (name, value) -> h.createUpdate("INSERT INTO run_metrics (run_id, name, step, attempt, seq,"
                                        + " time_ms, metric_value) VALUES (:run, :name, 'train', 1, 0, 0, :value)")
                                .bind("run", r.id)
                                .bind("name", name)
                                .bind("value", value)
                                .execute());
            }
        });
        return jdbi;
    }
}
