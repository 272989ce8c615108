package io.baton.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
import io.baton.server.api.MetricsView;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.core.Json;
import io.baton.server.runs.RunQueries;
import io.baton.server.testing.BothDatabases;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The streamed metrics answer holds every stored point, its numbers as they were sent, on H2 and MariaDB. */
class MetricsWriterTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void theAnswerHoldsEverySeriesInOrderWithItsNumbersAsSent(String name, String url, String user, String password)
            throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "train[lr=0.1]", "eval");
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        // the expected series by step, attempt and name
        Map<String, ArrayNode> expected = new TreeMap<>();
        for (String step : List.of("train[lr=0.1]", "eval")) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                recorder.attemptStarted(runId, step, new AttemptStart(attempt, "w1"));
                long seq = 0;
                for (int batch = 0; batch < 3; batch++) {
                    StringBuilder loss = new StringBuilder("[");
                    StringBuilder acc = new StringBuilder("[");
                    for (int i = 0; i < 4; i++, seq++) {
                        String x = seq % 3 == 0 ? "null" : "{\"epoch\":" + seq + ",\"x\":" + 0.5 * seq + "}";
                        long time = 1_700_000_000_000L + seq * 1001;
                        String separator = i == 0 ? "" : ",";
                        loss.append(separator).append(point(seq, 1.0 / (seq + 1), time, x));
                        acc.append(separator).append(point(seq, seq * 0.1, time, x));
                        expect(expected, step, attempt, "loss", seq, 1.0 / (seq + 1), time, x);
                        expect(expected, step, attempt, "acc", seq, seq * 0.1, time, x);
                    }
                    recorder.appendLogs(
                            runId,
                            step,
                            attempt,
                            new LogBatch(batch, "lines\n", Map.of("loss", loss + "]", "acc", acc + "]")));
                }
            }
        }
        // as other writers may pack them: spaces, axes that are not numbers; a series mixing both forms
        recorder.attemptStarted(runId, "eval", new AttemptStart(3, "w1"));
        recorder.appendLogs(
                runId,
                "eval",
                3,
                new LogBatch(
                        0,
                        "a\n",
                        Map.of("loss", "[[0,0.5,1700000000000,{\"epoch\":1}],[1,2.0E-5,1700000000001,null]]")));
        recorder.appendLogs(
                runId,
                "eval",
                3,
                new LogBatch(
                        1,
                        "b\n",
                        Map.of("loss", "[ [2, 1.0, 1700000000002, {\"epoch\": 2, \"phase\": \"v\\u00e4l\"}] ]")));
        recorder.appendLogs(
                runId,
                "eval",
                3,
                new LogBatch(2, "c\n", Map.of("loss", "[[3,1e-3,1700000000003,{\"epoch\":3}]]", "acc", "[]")));
        expect(expected, "eval", 3, "loss", 0, 0.5, 1_700_000_000_000L, "{\"epoch\":1}");
        expect(expected, "eval", 3, "loss", 1, 2.0E-5, 1_700_000_000_001L, "null");
        expect(expected, "eval", 3, "loss", 2, 1.0, 1_700_000_000_002L, "{\"epoch\":2,\"phase\":\"väl\"}");
        expect(expected, "eval", 3, "loss", 3, 1e-3, 1_700_000_000_003L, "{\"epoch\":3}");
        RunQueries views = new RunQueries(jdbi, "", "default");

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        views.writeMetrics(runId, streamed);

        ObjectNode answer = Json.MAPPER.createObjectNode();
        ArrayNode series = answer.putArray("series");
        expected.forEach((key, points) -> {
            String[] parts = key.split("\u0000");
            ObjectNode s = series.addObject();
            s.put("step", parts[0]).put("attempt", Integer.parseInt(parts[1])).put("name", parts[2]);
            s.set("points", points);
        });
        JsonNode actual = Json.MAPPER.readTree(streamed.toByteArray());
        assertThat(actual.get("series")).hasSize(9);
        assertThat(actual.get("series").get(0).get("points")).hasSize(12);
        assertThat(actual).isEqualTo(answer);
        String text = streamed.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("\"value\":2.0E-5,").contains("\"value\":1e-3,");
        MetricsView view = views.metrics(runId);
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(view))).isEqualTo(answer);
    }

    private static String point(long seq, double value, long time, String x) {
        return "[" + seq + "," + value + "," + time + "," + x + "]";
    }

    private static void expect(
            Map<String, ArrayNode> expected,
            String step,
            int attempt,
            String name,
            long seq,
            double value,
            long time,
            String x)
            throws Exception {
        ObjectNode point = Json.MAPPER.createObjectNode();
        point.put("seq", (int) seq)
                .put("value", value)
                .put("time", Instant.ofEpochMilli(time).toString());
        point.set("x", x.equals("null") ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(x));
        expected.computeIfAbsent(step + "\u0000" + attempt + "\u0000" + name, k -> Json.MAPPER.createArrayNode())
                .add(point);
    }

    @Test
    void pointTimesAreWrittenAsInstantWritesThem() {
        MetricsWriter.InstantText text = new MetricsWriter.InstantText();
        Random random = new Random(7);
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
                    .isEqualTo(Instant.ofEpochMilli(t).toString());
            StringBuilder appended = new StringBuilder("before ");
            text.append(t, appended);
            assertThat(appended.toString()).as("%d", t).isEqualTo("before " + Instant.ofEpochMilli(t));
        }
    }
}
