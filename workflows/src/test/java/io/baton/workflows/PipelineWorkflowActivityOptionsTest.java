package io.baton.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a step's activity is scheduled: its pool's queue, its timeouts and retries, and its run's fair share. */
class PipelineWorkflowActivityOptionsTest {
    @Test
    void activityOptionsCarryTheStepsQueueTimeoutsRetriesAndPriority() {
        StepPlan train = new StepPlan(
                "train",
                List.of("prepare"),
                "gpu",
                List.of("python", "train.py"),
                Map.of(),
                null,
                2,
                1_000,
                60_000,
                Duration.ofHours(1).toMillis(),
                30_000,
                List.of(),
                List.of(),
                null,
                false,
                1,
                0,
                0,
                null);
        RunPlan plan =
                new RunPlan("run-1", "demo", "pipeline", "bundle", 2, "alice", Map.of(), List.of(train), Map.of());

        ActivityOptions options = PipelineWorkflowImpl.activityOptions(plan, train);

        assertThat(options.getTaskQueue()).isEqualTo("pool-gpu");
        assertThat(options.getStartToCloseTimeout())
                .isEqualTo(Duration.ofHours(1).plus(PipelineWorkflowImpl.TIMEOUT_GRACE));
        assertThat(options.getHeartbeatTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.getRetryOptions().getMaximumAttempts())
                .isEqualTo(2 + 1 + PipelineWorkflowImpl.LOST_ATTEMPT_RETRIES);
        assertThat(options.getRetryOptions().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.getRetryOptions().getMaximumInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(options.getRetryOptions().getDoNotRetry()).containsExactly(StepFailures.INVALID);
        assertThat(options.getPriority().getPriorityKey()).isEqualTo(2);
        assertThat(options.getPriority().getFairnessKey()).isEqualTo("alice");
        assertThat(options.getCancellationType()).isEqualTo(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
    }

    @Test
    void stepsGoToTheQueueOfTheirResourceShape() {
        StepPlan big = new StepPlan(
                "train",
                List.of(),
                "gpu",
                List.of("python"),
                Map.of(),
                null,
                0,
                1_000,
                60_000,
                60_000,
                30_000,
                List.of(),
                List.of(),
                null,
                false,
                3,
                0,
                2,
                null);
        RunPlan plan = new RunPlan("run-1", "demo", "pipeline", "bundle", 3, "alice", Map.of(), List.of(big), Map.of());
        assertThat(PipelineWorkflowImpl.activityOptions(plan, big).getTaskQueue())
                .isEqualTo("pool-gpu-c4-g2");
        assertThat(TaskQueues.pool("cpu", TaskQueues.cpuShape(0.5), 0)).isEqualTo("pool-cpu");
        assertThat(TaskQueues.pool("cpu", TaskQueues.cpuShape(2), 0)).isEqualTo("pool-cpu-c2");
        assertThat(TaskQueues.cpuShape(5)).isEqualTo(8);
        assertThat(TaskQueues.cpuShape(0)).isEqualTo(1);
    }
}
