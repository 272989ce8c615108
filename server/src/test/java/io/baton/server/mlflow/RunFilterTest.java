package io.baton.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.baton.protocol.MlflowRunIds;
import io.baton.server.core.BatonException;
import io.baton.server.mlflow.TrackingMessages.Metric;
import io.baton.server.mlflow.TrackingMessages.Run;
import io.baton.server.mlflow.TrackingMessages.RunData;
import io.baton.server.mlflow.TrackingMessages.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The filter of {@code runs/search}, MLflow run ids, and stored points read back as MLflow's metrics. */
class RunFilterTest {
    private static final Run RUN = new Run(
            new RunInfo(
                    "r_0123456789ab_1",
                    "r_0123456789ab_1",
                    "pipe",
                    "train (attempt 1)",
                    "alice",
                    "FINISHED",
                    1000L,
                    2000L,
                    "mlflow-artifacts:/runs/r_0123456789ab_1",
                    "active"),
            new RunData(List.of(), List.of(), List.of()),
            Map.of());

    private static boolean matches(String filter) {
        return RunFilter.parse(filter)
                .matches(RUN, Map.of("loss", 0.25, "acc", 0.9), Map.of("optimizer", "sgd"), Map.of("stage", "dev"));
    }

    @Test
    void metricsCompareAsNumbersAndParamsTagsAndAttributesAsText() {
        assertThat(matches("metrics.loss < 0.5")).isTrue();
        assertThat(matches("metric.loss >= 0.25 and metrics.acc > 0.8")).isTrue();
        assertThat(matches("metrics.loss > 0.5")).isFalse();
        assertThat(matches("metrics.missing < 1"))
                .as("a run without the metric")
                .isFalse();
        assertThat(matches("params.optimizer = 'sgd' AND tags.stage LIKE 'd%'")).isTrue();
        assertThat(matches("params.optimizer != 'sgd'")).isFalse();
        assertThat(matches("attributes.status = 'FINISHED' AND run_name ILIKE 'TRAIN%'"))
                .isTrue();
        assertThat(matches("status IN ('RUNNING', 'FAILED')")).isFalse();
        assertThat(matches("start_time >= 1000 AND end_time < 2000")).isFalse();
        assertThat(matches("metrics.`loss` = '0.25'"))
                .as("a quoted number, a quoted key")
                .isTrue();
    }

    @Test
    void whatTheGrammarDoesNotHaveIsA400() {
        for (String bad : List.of(
                "metrics.loss LIKE '1%'",
                "params.lr < 1",
                "datasets.name = 'x'",
                "owner = 'me'",
                "metrics.loss < abc",
                "tags.a IN ('x')",
                "metrics.loss < 1 OR metrics.loss > 2")) {
            assertThatThrownBy(() -> RunFilter.parse(bad)).as(bad).isInstanceOf(BatonException.class);
        }
    }

    @Test
    void anAttemptsMlflowRunIdFitsMlflowsRuleWhateverItsStepAndParsesBack() {
        String id = MlflowRunIds.of("01a24f25-c2c5-7c52-9c62-889eb9eb0aad", "train[lr=0.1, opt=\"adam\"]", 12);
        assertThat(id).matches("^[a-zA-Z0-9][\\w\\-]{0,255}$");
        MlflowRunIds.Parts parts = MlflowRunIds.parse(id);
        assertThat(parts.runId()).isEqualTo("01a24f25-c2c5-7c52-9c62-889eb9eb0aad");
        assertThat(parts.stepHash()).isEqualTo(MlflowRunIds.stepHash("train[lr=0.1, opt=\"adam\"]"));
        assertThat(parts.attempt()).isEqualTo(12);
        assertThat(MlflowRunIds.parse("../etc")).isNull();
        assertThat(MlflowRunIds.parse(id + "/x")).isNull();
        assertThat(MlflowRunIds.parse("r_0123456789ab_0"))
                .as("attempts count from 1")
                .isNull();
    }

    @Test
    void storedPointsReadBackWithTheirStepFromXOrSeq() {
        List<Metric> points = new ArrayList<>();
        MlflowTracking.readPoints(
                "loss", "[[3,0.5,1700,{\"step\":7}],[4,0.25,1701,{\"epoch\":2}],[5,0.1,1702,null]]", points);
        assertThat(points)
                .containsExactly(
                        new Metric("loss", 0.5, 1700, 7),
                        new Metric("loss", 0.25, 1701, 2),
                        new Metric("loss", 0.1, 1702, 5));
        List<Metric> spaced = new ArrayList<>();
        MlflowTracking.readPoints("acc", "[ [1, 0.9, 10, {\"step\": 1}] ]", spaced);
        assertThat(spaced).containsExactly(new Metric("acc", 0.9, 10, 1));
    }
}
