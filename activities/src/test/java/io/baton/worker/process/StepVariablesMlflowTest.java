package io.baton.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.baton.protocol.MlflowRunIds;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MLflow's variables of a started attempt: the project's tracking URI as the step reaches the server, its token. */
class StepVariablesMlflowTest {
    @Test
    void theProjectsTrackingUriTheAttemptsTokenAndItsRun() {
        assertThat(StepVariables.mlflow("http://127.0.0.1:7400/", "vision", "r1", "train[lr=0.1]", 2, "bt_a"))
                .containsExactly(
                        Map.entry("MLFLOW_TRACKING_URI", "http://127.0.0.1:7400/p/vision"),
                        Map.entry("MLFLOW_TRACKING_TOKEN", "bt_a"),
                        Map.entry("MLFLOW_RUN_ID", MlflowRunIds.of("r1", "train[lr=0.1]", 2)));
        assertThat(StepVariables.mlflow("http://127.0.0.1:7400", null, "r1", "train", 1, "bt_a"))
                .as("a server that does not name the project: none")
                .isEmpty();
        assertThat(StepVariables.mlflow("http://127.0.0.1:7400", "p", "r1", "train", 1, null))
                .isEmpty();
    }
}
