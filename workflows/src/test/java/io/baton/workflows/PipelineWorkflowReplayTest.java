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
 * Replays the saved histories of earlier runs against today's workflow code, so that a change which would break
 * runs in flight (a non-deterministic change not behind {@code Workflow.getVersion}) fails the build. New histories
 * come from {@link PipelineHistoryRecorder}.
 */
class PipelineWorkflowReplayTest {
    @Test
    void replaysSavedHistories() throws URISyntaxException {
        List<File> histories = savedHistories();
        assertThat(histories)
                .as("saved histories under src/test/resources/histories")
                .extracting(File::getName)
                .contains(
                        "two-steps-succeeded.json",
                        "failed-step.json",
                        "retried-step.json",
                        "cancelled.json",
                        "inputs-and-cache.json",
                        "approval-approved.json",
                        "steps-ended-by-attempts.json",
                        "approval-from-record.json");
        for (File history : histories) {
            assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(history, PipelineWorkflowImpl.class))
                    .as("replay of %s", history.getName())
                    .doesNotThrowAnyException();
        }
    }

    private static List<File> savedHistories() throws URISyntaxException {
        URL folder = PipelineWorkflowReplayTest.class.getResource("/histories");
        if (folder == null) {
            return List.of();
        }
        File[] files = new File(folder.toURI()).listFiles((dir, name) -> name.endsWith(".json"));
        return files == null ? List.of() : Arrays.stream(files).sorted().toList();
    }
}
