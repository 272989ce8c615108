package io.baton.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.AttemptStart;
import io.baton.protocol.LogBatch;
import io.baton.server.api.MetricsView;
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
  void packedPointsAreStoredAndReadBackAndMalformedOnesAreRefusedWholly(String name, String url, String user,
                                                                        String password) throws Exception {
    Jdbi jdbi = BothDatabases.migrated(url, user, password);
    String runId = UUID.randomUUID().toString();
    BothDatabases.insertRunningRun(jdbi, runId, "train");
    RunRecorder recorder = BothDatabases.recorder(jdbi);
    recorder.attemptStarted(runId, "train", new AttemptStart(1, "w1"));

    recorder.appendLogs(runId, "train", 1, new LogBatch(0, "two lines\n", List.of(), Map.of(
        "loss", "[[0,0.5,1700000000000,{\"epoch\":1}],[1,0.25,1700000001000,null]]",
        "acc", "[[0,0.75,1700000000000,{\"epoch\":1}]]")));
    for (String bad : List.of("[[0,\"high\",1,null]]", "[[0,1e999,1,null]]", "[[0.5,1,1,null]]", "[[0,1,1,[2]]]",
        "[[0,1,1,null]] trailing", "{}", "[[0,1,1]]")) {
      assertThatThrownBy(() -> recorder.appendLogs(runId, "train", 1, new LogBatch(1, "bad\n", List.of(),
          Map.of("loss", bad)))).as(bad).isInstanceOf(BatonException.class)
          .satisfies(e -> assertThat(((BatonException) e).status()).isEqualTo(400));
    }

    MetricsView metrics = new RunViews(jdbi, "", "default").metrics(runId);
    assertThat(metrics.series()).extracting(MetricsView.Series::name).containsExactly("acc", "loss");
    assertThat(metrics.series().get(1).points()).extracting(MetricsView.Point::value).containsExactly(0.5, 0.25);
    assertThat(metrics.series().get(1).points().get(0).x()).isEqualTo(Map.of("epoch", 1));
    assertThat(new LogReader(jdbi).attempt(runId, "train", null)).isEqualTo(1);
    int chunks = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM log_chunks WHERE run_id = :r")
        .bind("r", runId).mapTo(Integer.class).one());
    assertThat(chunks).as("the malformed batches wrote no log either").isEqualTo(1);
    double last = jdbi.withHandle(h -> h.createQuery("SELECT metric_value FROM run_metrics WHERE run_id = :r"
        + " AND name = 'loss'").bind("r", runId).mapTo(Double.class).one());
    assertThat(last).isEqualTo(0.25);
  }

  @org.junit.jupiter.api.Test
  void aValueIsFiniteUnlessItsExponentOrLengthOverflowsADouble() {
    for (String finite : List.of("0", "-0.5", "123.456", "1e308", "-1.7E308", "1e-400", "9".repeat(300))) {
      assertThat(PackedSeries.finite(finite)).as(finite).isTrue();
    }
    for (String infinite : List.of("1e999", "-2E309", "9".repeat(400), "1" + "0".repeat(320) + ".5")) {
      assertThat(PackedSeries.finite(infinite)).as(infinite).isFalse();
    }
  }
}
