package io.baton.workflows;

import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A schedule's action: records its fire through the server, then runs the recorded plan as the run's child. */
class ScheduledRunWorkflowTest {
    private static final Path HISTORIES = Path.of("src/test/resources/histories/scheduled");

    @RegisterExtension
    final TestWorkflowExtension temporal = PipelineTestWorkers.extension();

    final Events events = new Events();
    final FakeStepActivities steps = new FakeStepActivities(events);
    final RecordingControlActivities control = new RecordingControlActivities(events);
    final FakeSchedules schedules = new FakeSchedules();
    TestWorkflowEnvironment env;

    /** Answers each fire with {@link #next}, and remembers what it was asked. */
    static final class FakeSchedules implements ScheduleActivities {
        volatile ScheduledFire next;
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public ScheduledFire recordFire(String scheduleId, long scheduledAtMillis) {
            asked.add(scheduleId);
            return next;
        }
    }

    @BeforeEach
    void startWorkers(TestWorkflowEnvironment env) {
        this.env = env;
        Worker server = env.newWorker(TaskQueues.CONTROL);
        server.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class, ScheduledRunWorkflowImpl.class);
        server.registerActivitiesImplementations(control, schedules);
        env.newWorker(TaskQueues.pool(Plans.POOL)).registerActivitiesImplementations(steps);
        env.start();
    }

    /**
     * Runs the action of one fire; with {@code -Dbaton.recordHistories=true} its history is saved as
     * {@code histories/scheduled/<name>.json} for {@link #replaysSavedHistories}.
     */
    private void fire(String scheduleId, String name) throws IOException {
        String workflowId = ScheduledRunWorkflow.actionWorkflowId(scheduleId) + "-2026-12-07T03:00:00Z";
        env.getWorkflowClient()
                .newWorkflowStub(
                        ScheduledRunWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(TaskQueues.CONTROL)
                                .setWorkflowId(workflowId)
                                .setWorkflowExecutionTimeout(Duration.ofSeconds(60))
                                .build())
                .run(scheduleId);
        if (Boolean.getBoolean("baton.recordHistories")) {
            Files.createDirectories(HISTORIES);
            Files.writeString(
                    HISTORIES.resolve(name + ".json"),
                    env.getWorkflowClient().fetchHistory(workflowId).toJson(true));
        }
    }

    @Test
    void replaysSavedHistories() throws Exception {
        URL folder = ScheduledRunWorkflowTest.class.getResource("/histories/scheduled");
        assertThat(folder)
                .as("saved histories under src/test/resources/histories/scheduled")
                .isNotNull();
        File[] files = new File(folder.toURI()).listFiles((dir, name) -> name.endsWith(".json"));
        assertThat(files).extracting(File::getName).contains("fire-ran-child.json", "fire-recorded-nothing.json");
        for (File history : files) {
            assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(history, ScheduledRunWorkflowImpl.class))
                    .as("replay of %s", history.getName())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void aFireRunsTheRecordedPlanAsAChildUnderTheRunsWorkflowId() throws IOException {
        schedules.next = new ScheduledFire(plan("r1", step("train")), null, false);
        fire("s1", "fire-ran-child");
        assertThat(schedules.asked).containsExactly("s1");
        RunStatus status = env.getWorkflowClient()
                .newUntypedWorkflowStub(PipelineWorkflow.workflowId("r1"))
                .getResult(RunStatus.class);
        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.all()).contains("planRecorded r1");
        assertThat(control.runs()).hasSize(1);
    }

    @Test
    void aFireThatRecordsNoRunStartsNothing() throws IOException {
        schedules.next = new ScheduledFire(null, "the schedule's owner lost write access", false);
        fire("s2", "fire-recorded-nothing");
        assertThat(schedules.asked).containsExactly("s2");
        assertThat(steps.attempts()).isEmpty();
        assertThat(control.runs()).isEmpty();
    }

    @Test
    void aReplayedFireWhoseRunExistsAlreadyEndsWithoutFailingOrRunningItAgain() throws IOException {
        RunPlan plan = plan("r3", step("train"));
        assertThat(PipelineTestWorkers.workflow(env, "r3").run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        int attempts = steps.attempts().size();
        schedules.next = new ScheduledFire(plan, null, false);
        fire("s3", "fire-whose-run-existed"); // returns normally: the action did not fail
        assertThat(steps.attempts()).hasSize(attempts);
        assertThat(control.runs()).hasSize(1);
    }
}
