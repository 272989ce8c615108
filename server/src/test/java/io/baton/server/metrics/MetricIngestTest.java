package io.baton.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
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
class MetricIngestTest {
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
            assertThatThrownBy(
                            () -> recorder.appendLogs(runId, "train", 1, new LogBatch(1, "bad\n", Map.of("loss", bad))))
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
    void aSeriesHasANameOfOneTo200CharactersAndItsLastPoint() {
        for (String bad : List.of("", "m".repeat(201))) {
            assertThatThrownBy(() -> MetricIngest.check(Map.of(bad, "[[0,1,1,null]]")))
                    .isInstanceOfSatisfying(
                            BatonException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> MetricIngest.check(java.util.Collections.singletonMap("loss", null)))
                .isInstanceOf(BatonException.class);
        assertThat(MetricIngest.check(Map.of(
                        "loss", "[[0,0.5,1000,{\"epoch\":1}],[1,0.25,2000,null]]",
                        "acc", "[ [7, 3, 3000, {\"phase\": \"val\"}] ]",
                        "lr", "[]")))
                .containsExactlyInAnyOrder(
                        new MetricIngest.Series(
                                "loss", "[[0,0.5,1000,{\"epoch\":1}],[1,0.25,2000,null]]", 1, 2000, 0.25),
                        new MetricIngest.Series("acc", "[ [7, 3, 3000, {\"phase\": \"val\"}] ]", 7, 3000, 3.0));
    }
}
