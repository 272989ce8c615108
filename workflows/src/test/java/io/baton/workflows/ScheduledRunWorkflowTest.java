package io.baton.workflows;

import static io.baton.workflows.Plans.plan;
import static io.baton.workflows.Plans.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A schedule's action: records its fire through the server, then runs the recorded plan as the run's child. */
class ScheduledRunWorkflowTest {
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

    private void fire(String scheduleId) {
        env.getWorkflowClient()
                .newWorkflowStub(
                        ScheduledRunWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(TaskQueues.CONTROL)
                                .setWorkflowId(
                                        ScheduledRunWorkflow.actionWorkflowId(scheduleId) + "-" + System.nanoTime())
                                .setWorkflowExecutionTimeout(Duration.ofSeconds(60))
                                .build())
                .run(scheduleId);
    }

    @Test
    void aFireRunsTheRecordedPlanAsAChildUnderTheRunsWorkflowId() {
        schedules.next = new ScheduledFire(plan("r1", step("train")), null, false);
        fire("s1");
        assertThat(schedules.asked).containsExactly("s1");
        RunStatus status = env.getWorkflowClient()
                .newUntypedWorkflowStub(PipelineWorkflow.workflowId("r1"))
                .getResult(RunStatus.class);
        assertThat(status).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events.all()).contains("planRecorded r1");
        assertThat(control.runs()).hasSize(1);
    }

    @Test
    void aFireThatRecordsNoRunStartsNothing() {
        schedules.next = new ScheduledFire(null, "the schedule's owner lost write access", false);
        fire("s2");
        assertThat(schedules.asked).containsExactly("s2");
        assertThat(steps.attempts()).isEmpty();
        assertThat(control.runs()).isEmpty();
    }

    @Test
    void aReplayedFireWhoseRunExistsAlreadyEndsWithoutFailingOrRunningItAgain() {
        RunPlan plan = plan("r3", step("train"));
        assertThat(PipelineTestWorkers.workflow(env, "r3").run(plan)).isEqualTo(RunStatus.SUCCEEDED);
        int attempts = steps.attempts().size();
        schedules.next = new ScheduledFire(plan, null, false);
        fire("s3"); // returns normally: the action did not fail
        assertThat(steps.attempts()).hasSize(attempts);
        assertThat(control.runs()).hasSize(1);
    }
}
