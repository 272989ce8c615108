package io.baton.bench;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.UUID;

/**
 * The baseline: a bare Temporal workflow whose activities run the same no-op process as Baton's steps, in a chain,
 * on its own task queue of the same dev server, with as many activity slots as Baton's worker has.
 */
final class Bare implements AutoCloseable {
    @ActivityInterface
    public interface NoopActivity {
        void runNoop();
    }

    @WorkflowInterface
    public interface Chain {
        @WorkflowMethod
        void run(int steps);
    }

    /** The same chain without eager activity dispatch: every activity goes through matching, as Baton's steps do. */
    @WorkflowInterface
    public interface MatchedChain {
        @WorkflowMethod
        void run(int steps);
    }

    public static final class MatchedChainImpl implements MatchedChain {
        private final NoopActivity activity = Workflow.newActivityStub(
                NoopActivity.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .setDisableEagerExecution(true)
                        .build());

        @Override
        public void run(int steps) {
            for (int i = 0; i < steps; i++) {
                activity.runNoop();
            }
        }
    }

    public static final class ChainImpl implements Chain {
        private final NoopActivity activity = Workflow.newActivityStub(
                NoopActivity.class,
                ActivityOptions.newBuilder()
                        .setStartToCloseTimeout(Duration.ofMinutes(1))
                        .build());

        @Override
        public void run(int steps) {
            for (int i = 0; i < steps; i++) {
                activity.runNoop();
            }
        }
    }

    public static final class NoopActivityImpl implements NoopActivity {
        @Override
        public void runNoop() {
            try {
                Process p = new ProcessBuilder("true").start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("true failed");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    final WorkflowClient client;
    final String queue = "bench-bare-" + UUID.randomUUID();
    private final WorkflowServiceStubs service;
    private final WorkerFactory factory;

    Bare(String temporalTarget, int slots) {
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalTarget)
                .build());
        client = WorkflowClient.newInstance(service);
        factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(
                queue,
                WorkerOptions.newBuilder()
                        .setMaxConcurrentActivityExecutionSize(slots)
                        .build());
        worker.registerWorkflowImplementationTypes(ChainImpl.class, MatchedChainImpl.class);
        worker.registerActivitiesImplementations(new NoopActivityImpl());
        factory.start();
    }

    Chain chain() {
        return client.newWorkflowStub(
                Chain.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(queue)
                        .setWorkflowId("bench-" + UUID.randomUUID())
                        .build());
    }

    MatchedChain matchedChain() {
        return client.newWorkflowStub(
                MatchedChain.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(queue)
                        .setWorkflowId("bench-" + UUID.randomUUID())
                        .build());
    }

    @Override
    public void close() {
        factory.shutdownNow();
        service.shutdownNow();
    }
}
