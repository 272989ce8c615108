package io.baton.workflows;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What every pipeline workflow test starts with: Temporal's in-memory test service, a fake pool worker
 * ({@link #steps}) and a recording server ({@link #control}), both writing to one event log ({@link #events}); the
 * workflow and the control activities on {@link TaskQueues#CONTROL}, the steps on {@code pool-cpu}.
 */
abstract class PipelineWorkflowHarness {
    @RegisterExtension
    final TestWorkflowExtension temporal = PipelineTestWorkers.extension();

    final Events events = new Events();
    final FakeStepActivities steps = new FakeStepActivities(events);
    final RecordingControlActivities control = new RecordingControlActivities(events);
    TestWorkflowEnvironment env;

    @BeforeEach
    void startWorkers(TestWorkflowEnvironment env) {
        this.env = env;
        PipelineTestWorkers.start(env, control, steps);
    }
}
