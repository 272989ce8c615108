package io.baton.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The endpoint workflow's decisions against Temporal's in-memory test service, with a record and replicas in memory:
 * traffic moves to a revision only once all its replicas are ready, a revision that fails leaves the old one serving,
 * a canary takes traffic once ready and goes on a rollback, a lost replica is replaced, a delete stops everything.
 * The real record and real replicas are EndpointsIntegrationTest's.
 */
class EndpointWorkflowTest {
    private TestWorkflowEnvironment env;
    private final Record record = new Record();
    private final Replicas replicas = new Replicas();
    private WorkflowClient client;

    @BeforeEach
    void start() {
        env = TestWorkflowEnvironment.newInstance();
        Worker control = env.newWorker(TaskQueues.CONTROL);
        control.registerWorkflowImplementationTypes(EndpointWorkflowImpl.class, ReplicaWorkflowImpl.class);
        control.registerActivitiesImplementations(record);
        // a cancel reaches a replica at its next heartbeat: every 100 ms here, as every 2 s on a worker
        Worker pool = env.newWorker(
                TaskQueues.serving("cpu", 0),
                WorkerOptions.newBuilder()
                        .setMaxHeartbeatThrottleInterval(Duration.ofMillis(100))
                        .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(100))
                        .build());
        pool.registerActivitiesImplementations(replicas);
        env.start();
        client = env.getWorkflowClient();
        replicas.client = client;
    }

    @AfterEach
    void stop(TestInfo test) throws IOException {
        // -Dbaton.recordHistories=true: saved for EndpointWorkflowReplayTest (a change that breaks them must not land)
        if (Boolean.getBoolean("baton.recordHistories")) {
            Path folder = Path.of("src/test/resources/histories/endpoint");
            Files.createDirectories(folder);
            String name = test.getTestMethod().orElseThrow().getName();
            Files.writeString(
                    folder.resolve(name + ".json"),
                    client.fetchHistory(EndpointWorkflow.workflowId("e1")).toJson(true));
        }
        env.close();
    }

    @Test
    void trafficMovesOnlyWhenTheNewRevisionIsReadyAndOldReplicasStopAfterTheDrain() {
        record.ask(1, 0, 0, 2);
        EndpointWorkflow workflow = startWorkflow();
        waitFor(() -> record.stable == 1 && "READY".equals(record.status));
        assertEquals(2, replicas.serving(1));

        replicas.holdReady.add(2); // the new revision's replicas start but are not healthy yet
        record.ask(2, 0, 0, 2);
        workflow.changed();
        waitFor(() -> replicas.started(2) == 2);
        assertEquals(1, record.stable, "no traffic moves while the new revision is not ready");
        assertEquals("UPDATING", record.status);
        replicas.holdReady.remove(2);
        waitFor(() -> record.stable == 2);
        assertEquals(2, replicas.serving(1), "the old replicas serve through the drain");
        waitFor(() -> replicas.serving(1) == 0 && "READY".equals(record.status));
        assertEquals(2, replicas.serving(2));
    }

    @Test
    void aRevisionWhoseReplicaFailsLeavesTheOldOneServingAndSaysWhy() {
        record.ask(1, 0, 0, 1);
        EndpointWorkflow workflow = startWorkflow();
        waitFor(() -> record.stable == 1);
        replicas.failing.put(2, "the serving command exited with code 3");
        record.ask(2, 0, 0, 1);
        workflow.changed();
        waitFor(() -> record.failedRevisions.contains(2));
        waitFor(() -> "READY".equals(record.status) && record.message != null);
        assertEquals(1, record.stable);
        assertTrue(record.message.contains("exited with code 3"), record.message);
        assertEquals(1, replicas.serving(1));
        assertEquals(0, replicas.serving(2));
    }

    @Test
    void aCanaryTakesItsShareOnceReadyAndARollbackStopsIt() {
        record.ask(1, 0, 0, 2);
        EndpointWorkflow workflow = startWorkflow();
        waitFor(() -> record.stable == 1);
        record.ask(1, 2, 10, 2);
        workflow.changed();
        waitFor(() -> record.canary == 2 && record.canaryPercent == 10);
        assertEquals(1, replicas.serving(2), "10% of 2 replicas is one canary replica");
        assertEquals(2, replicas.serving(1));

        record.ask(1, 0, 0, 2); // rollback
        workflow.changed();
        waitFor(() -> record.canary == 0 && replicas.serving(2) == 0);
        assertEquals(1, record.stable);

        record.ask(1, 3, 50, 2); // another canary, then its promotion
        workflow.changed();
        waitFor(() -> record.canary == 3);
        record.ask(3, 0, 0, 2);
        workflow.changed();
        waitFor(() -> record.stable == 3 && record.canary == 0);
        waitFor(() -> replicas.serving(1) == 0 && replicas.serving(3) == 2);
    }

    @Test
    void aLostReplicaIsReplacedAndADeleteStopsEverything() {
        record.ask(1, 0, 0, 2);
        EndpointWorkflow workflow = startWorkflow();
        waitFor(() -> record.stable == 1 && replicas.serving(1) == 2);
        String victim = replicas.live.keySet().iterator().next();
        replicas.crash(victim);
        waitFor(() -> replicas.started(1) == 3 && replicas.serving(1) == 2);
        waitFor(() -> "READY".equals(record.status));

        record.deleting = true;
        workflow.changed();
        waitFor(() -> record.removed);
        assertEquals(0, replicas.live.size());
    }

    private EndpointWorkflow startWorkflow() {
        EndpointWorkflow workflow = client.newWorkflowStub(
                EndpointWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(EndpointWorkflow.workflowId("e1"))
                        .setTaskQueue(TaskQueues.CONTROL)
                        .build());
        WorkflowClient.start(workflow::run, EndpointState.start("e1"));
        return workflow;
    }

    private static void waitFor(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** The endpoint's record, in memory: what is asked for, and what the workflow wrote. */
    static final class Record implements EndpointActivities {
        volatile int revision;
        volatile int canaryTarget;
        volatile int canaryTargetPercent;
        volatile int replicaCount;
        volatile boolean deleting;
        volatile int stable;
        volatile int canary;
        volatile int canaryPercent;
        volatile String status;
        volatile String message;
        volatile boolean removed;
        final Set<Integer> failedRevisions = ConcurrentHashMap.newKeySet();

        void ask(int revision, int canary, int percent, int replicas) {
            this.revision = revision;
            this.canaryTarget = canary;
            this.canaryTargetPercent = percent;
            this.replicaCount = replicas;
        }

        @Override
        public EndpointTarget target(String endpointId) {
            return removed
                    ? EndpointTarget.none()
                    : new EndpointTarget(
                            true, deleting, revision, canaryTarget, canaryTargetPercent, replicaCount, "cpu");
        }

        @Override
        public ReplicaRequest replicaPlanned(String endpointId, int revision, String replicaId) {
            return new ReplicaRequest(
                    endpointId,
                    "default",
                    "iris",
                    replicaId,
                    revision,
                    "default/iris",
                    revision,
                    List.of(),
                    null,
                    List.of("serve", "{port}"),
                    Map.of(),
                    "/health",
                    1000,
                    1,
                    0,
                    0);
        }

        @Override
        public void replicaDraining(String replicaId) {}

        @Override
        public void replicaEnded(String replicaId, String status, String message) {}

        @Override
        public void routing(String endpointId, int stable, int canary, int canaryPercent) {
            this.stable = stable;
            this.canary = canary;
            this.canaryPercent = canaryPercent;
        }

        @Override
        public void status(String endpointId, String status, String message) {
            this.status = status;
            this.message = message;
        }

        @Override
        public String rolloutFailed(String endpointId, int revision, String message) {
            failedRevisions.add(revision);
            return "the rollout of revision " + revision + " failed: " + message;
        }

        @Override
        public void removed(String endpointId) {
            removed = true;
        }
    }

    /** Replicas that say they are ready (unless held) and serve, heartbeating, until cancelled or crashed. */
    static final class Replicas implements ReplicaActivities {
        volatile WorkflowClient client;
        final Map<String, Integer> live = new ConcurrentHashMap<>();
        final List<String> startedIds = new CopyOnWriteArrayList<>();
        final Map<Integer, Integer> startedByRevision = new ConcurrentHashMap<>();
        final Set<Integer> holdReady = ConcurrentHashMap.newKeySet();
        final Map<Integer, String> failing = new ConcurrentHashMap<>();
        final Set<String> crashed = ConcurrentHashMap.newKeySet();

        int started(int revision) {
            return startedByRevision.getOrDefault(revision, 0);
        }

        int serving(int revision) {
            return (int) live.values().stream().filter(r -> r == revision).count();
        }

        void crash(String replicaId) {
            crashed.add(replicaId);
        }

        @Override
        public void serve(ReplicaRequest request) {
            startedIds.add(request.replicaId());
            startedByRevision.merge(request.revision(), 1, Integer::sum);
            String failure = failing.get(request.revision());
            if (failure != null) {
                throw ApplicationFailure.newNonRetryableFailure(failure, ReplicaFailures.EXITED, 3);
            }
            live.put(request.replicaId(), request.revision());
            boolean told = false;
            try {
                while (true) {
                    if (!told && !holdReady.contains(request.revision())) {
                        client.newWorkflowStub(EndpointWorkflow.class, EndpointWorkflow.workflowId("e1"))
                                .replicaReady(request.replicaId());
                        told = true;
                    }
                    if (crashed.contains(request.replicaId())) {
                        throw ApplicationFailure.newNonRetryableFailure(
                                "the serving process exited with code 137", ReplicaFailures.STOPPED_SERVING);
                    }
                    Activity.getExecutionContext().heartbeat(null);
                    Thread.sleep(50);
                }
            } catch (ActivityCompletionException cancelled) {
                throw cancelled;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApplicationFailure.newFailure("interrupted", "Interrupted");
            } finally {
                live.remove(request.replicaId());
            }
        }
    }
}
