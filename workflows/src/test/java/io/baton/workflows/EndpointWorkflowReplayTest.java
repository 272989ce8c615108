package io.baton.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.testing.WorkflowReplayer;
import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays saved histories of endpoint workflows (recorded by {@link EndpointWorkflowTest} with
 * {@code -Dbaton.recordHistories=true}) against today's code: an endpoint serves for months, so its workflow must
 * replay whatever changed since it started.
 */
class EndpointWorkflowReplayTest {
    @Test
    void replaysSavedHistories() throws URISyntaxException {
        URL folder = EndpointWorkflowReplayTest.class.getResource("/histories/endpoint");
        assertThat(folder)
                .as("saved histories under src/test/resources/histories/endpoint")
                .isNotNull();
        File[] files = new File(folder.toURI()).listFiles((dir, name) -> name.endsWith(".json"));
        List<File> histories = Arrays.stream(files).sorted().toList();
        assertThat(histories)
                .extracting(File::getName)
                .contains(
                        "trafficMovesOnlyWhenTheNewRevisionIsReadyAndOldReplicasStopAfterTheDrain.json",
                        "aCanaryTakesItsShareOnceReadyAndARollbackStopsIt.json",
                        "aLostReplicaIsReplacedAndADeleteStopsEverything.json");
        for (File history : histories) {
            assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(history, EndpointWorkflowImpl.class))
                    .as("replay of %s", history.getName())
                    .doesNotThrowAnyException();
        }
    }
}
