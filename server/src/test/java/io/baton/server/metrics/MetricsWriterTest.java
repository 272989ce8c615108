package io.baton.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
import io.baton.protocol.MetricPoint;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.core.Json;
import io.baton.server.runs.RunQueries;
import io.baton.server.testing.BothDatabases;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The streamed metrics answer is the same JSON as the one built from objects, on H2 and MariaDB. */
class MetricsWriterTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void streamedSeriesEqualTheObjectBuiltOnes(String name, String url, String user, String password) throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "train[lr=0.1]", "eval");
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        for (String step : List.of("train[lr=0.1]", "eval")) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                recorder.attemptStarted(runId, step, new AttemptStart(attempt, "w1"));
                long seq = 0;
                for (int batch = 0; batch < 3; batch++) {
                    List<MetricPoint> points = new ArrayList<>();
                    for (int i = 0; i < 4; i++, seq++) {
                        Map<String, Object> x = seq % 3 == 0 ? Map.of() : Map.of("epoch", (int) seq, "x", 0.5 * seq);
                        points.add(new MetricPoint("loss", seq, 1.0 / (seq + 1), 1_700_000_000_000L + seq * 1001, x));
                        points.add(new MetricPoint("acc", seq, seq * 0.1, 1_700_000_000_000L + seq * 1001, x));
                    }
                    recorder.appendLogs(runId, step, attempt, new LogBatch(batch, "lines\n", points));
                }
            }
        }
        // stored as other writers may pack them: spaces, axes that are not numbers; a series mixing both forms
        recorder.attemptStarted(runId, "eval", new AttemptStart(3, "w1"));
        recorder.appendLogs(
                runId,
                "eval",
                3,
                new LogBatch(
                        0,
                        "a\n",
                        List.of(),
                        Map.of("loss", "[[0,0.5,1700000000000,{\"epoch\":1}],[1,2.0E-5,1700000000001,null]]")));
        recorder.appendLogs(
                runId,
                "eval",
                3,
                new LogBatch(
                        1,
                        "b\n",
                        List.of(),
                        Map.of("loss", "[ [2, 1.0, 1700000000002, {\"epoch\": 2, \"phase\": \"v\\u00e4l\"}] ]")));
        recorder.appendLogs(
                runId,
                "eval",
                3,
                new LogBatch(
                        2, "c\n", List.of(), Map.of("loss", "[[3,1e-3,1700000000003,{\"epoch\":3}]]", "acc", "[]")));
        RunQueries views = new RunQueries(jdbi, "", "default");

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        views.writeMetrics(runId, streamed);

        JsonNode expected = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(views.metrics(runId)));
        JsonNode actual = Json.MAPPER.readTree(streamed.toByteArray());
        assertThat(actual.get("series")).hasSize(9);
        assertThat(actual.get("series").get(0).get("points")).hasSize(12);
        assertThat(actual).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void pointTimesAreWrittenAsInstantWritesThem() {
        MetricsWriter.InstantText text = new MetricsWriter.InstantText();
        java.util.Random random = new java.util.Random(7);
        List<Long> times = new ArrayList<>(List.of(
                0L,
                1L,
                999L,
                1000L,
                1_700_000_000_000L,
                1_700_000_000_001L,
                1_700_000_000_010L,
                1_700_000_000_100L,
                253_402_300_799_999L,
                253_402_300_800_000L,
                -1L,
                -1001L));
        for (int i = 0; i < 10_000; i++) {
            long base = 1_764_000_000_000L + random.nextInt(5_000);
            times.add(base); // runs of near times, as a series has them
            times.add(random.nextLong() % 300_000_000_000_000L);
        }
        for (long t : times) {
            assertThat(text.format(t))
                    .as("%d", t)
                    .isEqualTo(java.time.Instant.ofEpochMilli(t).toString());
            StringBuilder appended = new StringBuilder("before ");
            text.append(t, appended);
            assertThat(appended.toString()).as("%d", t).isEqualTo("before " + java.time.Instant.ofEpochMilli(t));
        }
    }
}
