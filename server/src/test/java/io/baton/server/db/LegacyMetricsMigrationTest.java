package io.baton.server.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.baton.server.api.MetricsView;
import io.baton.server.core.Json;
import io.baton.server.metrics.MetricsWriter;
import io.baton.server.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** V9 packs the points of the one-row-per-point table: {@code GET /metrics} answers for them as it did before. */
class LegacyMetricsMigrationTest {
    /** A row of the old table. */
    private record Row(
            String run, String step, int attempt, String name, long seq, double value, long time, String x) {}

    private static final List<Row> ROWS = rows();

    static Stream<String> databases() {
        return Stream.of("h2", "mariadb");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void pointsOfTheOldTableAreAnsweredAsBefore(String database) throws Exception {
        TestDatabase fresh = database.equals("mariadb") ? TestDatabase.create() : null;
        String url = fresh == null
                ? "jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1"
                : fresh.url();
        String user = fresh == null ? "sa" : fresh.user();
        String password = fresh == null ? "" : fresh.password();
        try {
            migrate(url, user, password, "8");
            Jdbi jdbi = Jdbi.create(url, user, password).installPlugin(new SqlObjectPlugin());
            jdbi.useHandle(h -> {
                var insert = h.prepareBatch("INSERT INTO metrics (run_id, step, attempt, name, seq, metric_value,"
                        + " time_ms, x) VALUES (:run, :step, :attempt, :name, :seq, :value, :time, :x)");
                ROWS.forEach(r -> insert.bind("run", r.run())
                        .bind("step", r.step())
                        .bind("attempt", r.attempt())
                        .bind("name", r.name())
                        .bind("seq", r.seq())
                        .bind("value", r.value())
                        .bind("time", r.time())
                        .bind("x", r.x())
                        .add());
                insert.execute();
            });

            migrate(url, user, password, null);

            for (String run : List.of("r1", "r2")) {
                ByteArrayOutputStream streamed = new ByteArrayOutputStream();
                new MetricsWriter(jdbi).write(run, streamed);
                assertThat(streamed.toString(StandardCharsets.UTF_8)).as(run).isEqualTo(before(run));
            }
            assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("SELECT COUNT(*) FROM metrics")))
                    .as("the old table is gone")
                    .isInstanceOf(StatementException.class);
        } finally {
            if (fresh != null) {
                fresh.owner().close();
            }
        }
    }

    /** The answer as the server wrote it from the old table: objects, serialized. */
    private static String before(String run) throws Exception {
        Map<String, MetricsView.Series> series = new LinkedHashMap<>();
        for (Row r : ROWS) {
            if (r.run().equals(run)) {
                series.computeIfAbsent(
                                r.step() + "\u0000" + r.attempt() + "\u0000" + r.name(),
                                k -> new MetricsView.Series(r.step(), r.attempt(), r.name(), new ArrayList<>()))
                        .points()
                        .add(new MetricsView.Point(
                                r.seq(),
                                r.value(),
                                Instant.ofEpochMilli(r.time()),
                                r.x() == null
                                        ? Map.of()
                                        : Json.read(r.x(), new TypeReference<Map<String, Object>>() {})));
            }
        }
        return Json.MAPPER.writeValueAsString(new MetricsView(List.copyOf(series.values())));
    }

    /** Rows in the order of the answer: step, attempt, name, seq; some series longer than a chunk. */
    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        long t = 1_700_000_000_000L;
        rows.add(new Row("r1", "eval", 1, "acc", 0, 0.75, t, "{\"epoch\": 1}"));
        rows.add(new Row("r1", "eval", 1, "acc", 1, 1e-5, t + 1, null));
        rows.add(new Row("r1", "eval", 1, "acc", 2, 3, t + 1000, "{}"));
        rows.add(new Row("r1", "eval", 1, "acc", 3, -123456.789, t + 1001, "{\"phase\": \"v\\u00e4l\", \"x\": 1.50}"));
        rows.add(new Row("r1", "eval", 2, "acc", 0, 1e300, t + 2000, "{\"step\": 12345678901234}"));
        rows.add(new Row("r1", "train", 1, "loss", 5, 0.1, t + 3000, null));
        for (int seq = 0; seq < 40_000; seq++) { // more than a chunk
            rows.add(new Row(
                    "r2", "train[lr=0.1]", 1, "loss", seq, 1.0 / (seq + 1), t + seq, "{\"step\": " + seq + "}"));
        }
        return rows;
    }

    private static void migrate(String url, String user, String password, String target) {
        var config = Flyway.configure().dataSource(url, user, password).locations("classpath:db/migration");
        (target == null ? config : config.target(target)).load().migrate();
    }
}
