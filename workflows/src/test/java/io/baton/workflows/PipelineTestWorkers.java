package io.baton.workflows;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;

/** The workers of a pipeline workflow test, laid out as in production: server on CONTROL, steps on their pool. */
final class PipelineTestWorkers {
    private PipelineTestWorkers() {}

    /** Temporal's in-memory service, started by {@link #start} once the test has its fakes. */
    static TestWorkflowExtension extension() {
        return TestWorkflowExtension.newBuilder()
                // Real time: the fakes block on latches and heartbeat, a skipped clock would time them out.
                .setUseTimeskipping(false)
                .setDoNotStart(true)
                .build();
    }

    /** Registers the workflow with the control activities (local activities run on the workflow's worker). */
    static void start(TestWorkflowEnvironment env, ControlActivities control, StepActivities steps) {
        Worker server = env.newWorker(TaskQueues.CONTROL);
        server.registerWorkflowImplementationTypes(PipelineWorkflowImpl.class);
        server.registerActivitiesImplementations(control);
        env.newWorker(TaskQueues.pool(Plans.POOL)).registerActivitiesImplementations(steps);
        env.start();
    }

    /** A stub for a new run, with the workflow id the server would give it. */
    static PipelineWorkflow workflow(TestWorkflowEnvironment env, String runId) {
        return env.getWorkflowClient()
                .newWorkflowStub(
                        PipelineWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(TaskQueues.CONTROL)
                                .setWorkflowId(PipelineWorkflow.workflowId(runId))
                                // a hung test fails instead of hanging the build
                                .setWorkflowExecutionTimeout(Duration.ofSeconds(60))
                                .build());
    }
}
