package io.baton.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.AttemptStart;
import io.baton.protocol.JsonNumbers;
import io.baton.protocol.LogBatch;
import io.baton.protocol.MetricPoint;
import io.baton.protocol.PackedPoints;
import io.baton.server.api.MetricsView;
import io.baton.server.attempts.AttemptRecorder;
import io.baton.server.core.BatonException;
import io.baton.server.logs.LogReader;
import io.baton.server.runs.RunQueries;
import io.baton.server.testing.BothDatabases;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Log batches with packed points: stored as they come, checked first; a malformed one writes nothing. */
class PackedMetricsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource(BothDatabases.SOURCE)
    void packedPointsAreStoredAndReadBackAndMalformedOnesAreRefusedWholly(
            String name, String url, String user, String password) throws Exception {
        Jdbi jdbi = BothDatabases.migrated(url, user, password);
        String runId = UUID.randomUUID().toString();
        BothDatabases.insertRunningRun(jdbi, runId, "train");
        AttemptRecorder recorder = BothDatabases.recorder(jdbi);
        recorder.attemptStarted(runId, "train", new AttemptStart(1, "w1"));

        recorder.appendLogs(
                runId,
                "train",
                1,
                new LogBatch(
                        0,
                        "two lines\n",
                        List.of(),
                        Map.of(
                                "loss", "[[0,0.5,1700000000000,{\"epoch\":1}],[1,0.25,1700000001000,null]]",
                                "acc", "[[0,0.75,1700000000000,{\"epoch\":1}]]")));
        for (String bad : List.of(
                "[[0,\"high\",1,null]]",
                "[[0,1e999,1,null]]",
                "[[0.5,1,1,null]]",
                "[[0,1,1,[2]]]",
                "[[0,1,1,null]] trailing",
                "{}",
                "[[0,1,1]]")) {
            assertThatThrownBy(() -> recorder.appendLogs(
                            runId, "train", 1, new LogBatch(1, "bad\n", List.of(), Map.of("loss", bad))))
                    .as(bad)
                    .isInstanceOf(BatonException.class)
                    .satisfies(e -> assertThat(((BatonException) e).status()).isEqualTo(400));
        }

        MetricsView metrics = new RunQueries(jdbi, "", "default").metrics(runId);
        assertThat(metrics.series()).extracting(MetricsView.Series::name).containsExactly("acc", "loss");
        assertThat(metrics.series().get(1).points())
                .extracting(MetricsView.Point::value)
                .containsExactly(0.5, 0.25);
        assertThat(metrics.series().get(1).points().get(0).x()).isEqualTo(Map.of("epoch", 1));
        assertThat(new LogReader(jdbi).attempt(runId, "train", null)).isEqualTo(1);
        int chunks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM log_chunks WHERE run_id = :r")
                .bind("r", runId)
                .mapTo(Integer.class)
                .one());
        assertThat(chunks).as("the malformed batches wrote no log either").isEqualTo(1);
        double last = jdbi.withHandle(
                h -> h.createQuery("SELECT metric_value FROM run_metrics WHERE run_id = :r" + " AND name = 'loss'")
                        .bind("r", runId)
                        .mapTo(Double.class)
                        .one());
        assertThat(last).isEqualTo(0.25);
    }

    @org.junit.jupiter.api.Test
    void aValueIsFiniteUnlessItsExponentOrLengthOverflowsADouble() {
        for (String finite : List.of("0", "-0.5", "123.456", "1e308", "-1.7E308", "1e-400", "9".repeat(300))) {
            assertThat(JsonNumbers.finite(finite)).as(finite).isTrue();
        }
        for (String infinite : List.of("1e999", "-2E309", "9".repeat(400), "1" + "0".repeat(320) + ".5")) {
            assertThat(JsonNumbers.finite(infinite)).as(infinite).isFalse();
        }
    }

    @org.junit.jupiter.api.Test
    void pointsAsTheyCameArePackedAsAWorkerPacksThemWithTheirLastPoint() {
        List<MetricPoint> points = List.of(
                new MetricPoint("loss", 0, 0.5, 1_700_000_000_000L, Map.of("epoch", 1)),
                new MetricPoint("acc", 0, 0.75, 1_700_000_000_000L, Map.of("epoch", 1)),
                new MetricPoint("loss", 1, 0.25, 1_700_000_001_000L, Map.of()),
                new MetricPoint("loss", 2, 0.125, 1_700_000_002_000L, Map.of("epoch", 2L, "step", 7.5)));

        List<PackedSeries> direct = PackedSeries.of(points);

        // the same text a worker sends, and the same last points the check of that text finds
        assertThat(direct).containsExactlyElementsOf(PackedSeries.check(PackedPoints.pack(points)));
        assertThat(direct.get(0))
                .isEqualTo(
                        new PackedSeries("loss", PackedPoints.pack(points).get("loss"), 2, 1_700_000_002_000L, 0.125));
        assertThat(PackedSeries.of(List.of())).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void pointsAsTheyCameAreCheckedFirst() {
        java.util.Map<String, Object> badAxis = new java.util.HashMap<>();
        badAxis.put("epoch", "one");
        for (MetricPoint bad : List.of(
                new MetricPoint("loss", 0, Double.NaN, 1, Map.of()),
                new MetricPoint("loss", 0, Double.POSITIVE_INFINITY, 1, Map.of()),
                new MetricPoint("loss", 0, 1, 1, badAxis),
                new MetricPoint("loss", 0, 1, 1, Map.of("epoch", Double.NaN)),
                new MetricPoint("", 0, 1, 1, Map.of()),
                new MetricPoint("m".repeat(201), 0, 1, 1, Map.of()))) {
            assertThatThrownBy(() -> PackedSeries.of(List.of(new MetricPoint("ok", 0, 1, 1, Map.of()), bad)))
                    .as(bad.toString())
                    .isInstanceOfSatisfying(
                            BatonException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    /** Texts at the edges of the packed form: what the one-pass check accepts, the JSON parser accepts alike. */
    @org.junit.jupiter.api.Test
    void theOnePassCheckAgreesWithTheJsonParser() {
        List<String> texts = new java.util.ArrayList<>(List.of(
                "[]",
                "[[0,0.5,1,null]]",
                "[[0,-1.5e-3,1,{\"epoch\":2}]]",
                "[[0,01,1,null]]",
                "[[01,1,1,null]]",
                "[[0,1.,1,null]]",
                "[[0,-,1,null]]",
                "[[0,1,1,{}]]",
                "[[0,1,1,{\"\":1}]]",
                "[[0,1,1,{\"a\\\"b\":1}]]",
                "[ [0,1,1,null]]",
                "[[0,1,1,null],]",
                "[[0,1,1,null]]]",
                "[[-1,1,1,null]]",
                "[[0,1,-1,null]]",
                "[[9223372036854775807,1,1,null]]",
                "[[0,1,1,{\"a\":\"b\"}]]",
                "[[0,1e999,1,null]]",
                "[[0,1,1,nul]]",
                "[[0,1,1,null]][",
                "[[0,1,1,{\"a\":1,}]]",
                "[[0,1,1,{\"a\":1}],[1,2,2,null]]"));
        String[] pieces = {"[", "]", ",", "0", "7", "-", ".", "e", "1.5", "null", "{", "}", "\"epoch\"", ":", " ", "\""
        };
        java.util.Random random = new java.util.Random(11);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder("[");
            for (int p = random.nextInt(3); p > 0; p--) {
                text.append("[")
                        .append(random.nextInt(3))
                        .append(",")
                        .append(random.nextBoolean() ? "0.5" : "-2e3")
                        .append(",")
                        .append(random.nextInt(5))
                        .append(",")
                        .append(random.nextBoolean() ? "null" : "{\"epoch\":" + random.nextInt(9) + "}")
                        .append("]")
                        .append(p > 1 ? "," : "");
            }
            text.append("]");
            for (int m = random.nextInt(3); m > 0; m--) { // a mutation or two: insert or replace a piece
                int at = random.nextInt(text.length() + 1);
                String piece = pieces[random.nextInt(pieces.length)];
                if (random.nextBoolean() && at < text.length()) {
                    text.replace(at, at + 1, piece);
                } else {
                    text.insert(at, piece);
                }
            }
            texts.add(text.toString());
        }
        int decided = 0;
        for (String text : texts) {
            CompactPoints compact = new CompactPoints(text, null);
            if (compact.read()) {
                decided++;
                PackedSeries parsed = PackedSeries.parsed("loss", text);
                if (compact.count() == 0) {
                    assertThat(parsed).as(text).isNull();
                } else {
                    assertThat(parsed)
                            .as(text)
                            .isEqualTo(new PackedSeries(
                                    "loss",
                                    text,
                                    compact.lastSeq(),
                                    compact.lastTime(),
                                    Double.parseDouble(compact.lastValue())));
                }
            }
        }
        assertThat(decided).as("texts the one-pass check decided itself").isGreaterThan(5_000);
    }
}
