package io.baton.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Runs a replica's activity once, records how it ended and tells its endpoint's workflow. */
public final class ReplicaWorkflowImpl implements ReplicaWorkflow {
    /** How long a worker of the pool has to take a replica before the attempt counts as failed (no room there). */
    static final Duration ROOM_WAIT = Duration.ofMinutes(5);
    /**
     * A replica whose worker stops heartbeating this long is lost (its worker died) and started again elsewhere. Longer
     * than a restart of Temporal takes, which must not stop a replica that serves: meanwhile the proxies send nothing
     * to a dead replica anyway (they try another one when a connection is refused).
     */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

    private final EndpointActivities records =
            Workflow.newLocalActivityStub(EndpointActivities.class, RecordWrites.options());

    @Override
    public void run(ReplicaRequest request, String taskQueue, String endpointWorkflowId) {
        ReplicaActivities replica = Workflow.newActivityStub(
                ReplicaActivities.class,
                ActivityOptions.newBuilder()
                        .setTaskQueue(taskQueue)
                        .setScheduleToStartTimeout(ROOM_WAIT)
                        .setStartToCloseTimeout(Duration.ofDays(3650))
                        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                        .setRetryOptions(
                                RetryOptions.newBuilder().setMaximumAttempts(1).build())
                        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                        .build());
        String status;
        String message;
        try {
            replica.serve(request);
            status = "STOPPED";
            message = null;
        } catch (ActivityFailure e) {
            Throwable cause = e.getCause();
            if (cause instanceof CanceledFailure) {
                status = "STOPPED";
                message = null;
            } else if (cause instanceof TimeoutFailure timeout
                    && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT) {
                status = "LOST";
                message = "its worker stopped answering (no heartbeat for " + HEARTBEAT_TIMEOUT.toSeconds() + " s)";
            } else if (cause instanceof TimeoutFailure timeout
                    && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
                status = "FAILED";
                message = "no worker of the pool took the replica within " + ROOM_WAIT.toMinutes()
                        + " minutes (no worker serves endpoints there, or their serving slots are all taken)";
            } else if (cause instanceof ApplicationFailure failure) {
                status = "FAILED";
                message = failure.getOriginalMessage();
            } else {
                status = "FAILED";
                message = cause == null ? e.getMessage() : cause.getMessage();
            }
        } catch (CanceledFailure e) {
            status = "STOPPED";
            message = null;
        }
        String ended = status;
        String why = message;
        // also when this workflow was cancelled: the record and the parent must still hear of the end
        Workflow.newDetachedCancellationScope(() -> {
                    records.replicaEnded(request.replicaId(), ended, why);
                    try {
                        Workflow.newExternalWorkflowStub(EndpointWorkflow.class, endpointWorkflowId)
                                .replicaEnded(request.replicaId(), ended, why);
                    } catch (SignalExternalWorkflowException gone) {
                        // the endpoint was deleted and its workflow ended: nobody is waiting for this replica
                    }
                })
                .run();
    }
}
